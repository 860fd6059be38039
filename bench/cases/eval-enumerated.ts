// `vae eval`'s IWAE log-likelihood on a program with an enumerated site (models/m2.vae by default:
// 10 labels): seconds per 1000 binarized-MNIST test images and the peak RSS, which must stay
// under 3 GB at K = 5000 on all 10,000 images (src/eval/chunking.ts sizes the chunks by examples
// × particles × enumerated configurations). The labels are hidden, as vae eval does for the
// bounds; the weights are the program's initialization (the cost does not depend on them).
//   node --import tsx bench/cases/eval-enumerated.ts [FILE] [K] [IMAGES]
import { Program } from '../../src/api';
import { loadBinarizedMnist } from '../../src/data/binarized-mnist';
import { makeDataset } from '../../src/data/dataset';
import { evalChunks } from '../../src/eval/chunking';
import { evalIwae } from '../../src/eval/metrics';
import { loadChecked } from '../../src/train/session';
import { runCase } from '../harness';

const file = process.argv[2] ?? 'models/m2.vae';
const K = Number(process.argv[3] ?? 5000);
const images = Number(process.argv[4] ?? 10000);
let chunk = { examples: 0, particles: 0 };
await runCase({
  name: `eval IWAE-${K} (${file}, ${images} images, seconds per 1000 images)`,
  unit: 's/1000 images',
  reps: 1,
  warmup: 0,
  setup: () => {
    const o = loadChecked({ file });
    const prog = new Program(o.checked, o.plan, 1);
    const test = loadBinarizedMnist({ splits: ['test'] }).test;
    const n = Math.min(images, test.size);
    const x = test.columns['x']!;
    const per = x.data.length / test.size;
    const cols: Record<string, { shape: number[]; data: Float32Array | Int32Array }> = {};
    for (const d of o.checked.data) {
      // Images take the declared shape (Binary[784]); labels are all missing (-1).
      cols[d.name] = d.type.vk === 'Category' ? { shape: [n], data: new Int32Array(n).fill(-1) } : { shape: [n, ...d.type.shape], data: Float32Array.from(x.data.subarray(0, n * per)) };
    }
    chunk = evalChunks(o.checked, o.plan, n, K);
    return { prog, data: makeDataset('binarized-mnist/test', cols) };
  },
  rep: (s) => {
    const r = evalIwae({ prog: s.prog, data: s.data, dynamic: new Set(), seed: 1 }, K, { onProgress: (done, total) => process.stderr.write(`\r  ${done}/${total} images`) });
    process.stderr.write('\n');
    return (r.seconds * 1000) / r.n;
  },
  extra: () => ({ images, k: K, chunk }),
  teardown: (s) => s.prog.dispose(),
});
