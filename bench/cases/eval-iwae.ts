// vae eval's IWAE-5000 log-likelihood: seconds per 1000 test images (5 repetitions of 200
// evenly spaced images, the whole 1000 once), batched over particles so memory stays bounded.
import { Program } from '../../src/api';
import { bindData } from '../../src/train/data-binding';
import { subsetDataset } from '../../src/data/dataset';
import { evalIwae } from '../../src/eval/metrics';
import { loadChecked } from '../../src/train/session';
import { runCase } from '../harness';

const K = Number(process.argv[2] ?? 5000);
const perRep = Number(process.argv[3] ?? 200);
await runCase({
  name: `eval IWAE-${K} (models/vae.vae, seconds per 1000 images)`,
  unit: 's/1000 images',
  reps: 5,
  warmup: 0,
  setup: async () => {
    const o = loadChecked({ file: 'models/vae.vae' });
    const prog = new Program(o.checked, o.plan, 1);
    const test = (await bindData(o.checked, { role: 'train', splits: ['test'] })).splits.test;
    return { prog, test };
  },
  rep: (s, i) => {
    const rep = Math.max(0, i);
    const idx = Int32Array.from({ length: perRep }, (_, j) => Math.floor(((rep * perRep + j) * s.test.size) / (5 * perRep)));
    const r = evalIwae({ prog: s.prog, data: subsetDataset(s.test, idx), dynamic: new Set(), seed: 1 }, K);
    return (r.seconds * 1000) / perRep;
  },
  teardown: (s) => s.prog.dispose(),
});
