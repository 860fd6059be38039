// Parse and check every model in models/: milliseconds per model (after a warm-up pass).
import * as fs from 'node:fs';
import { checkFile } from '../../src/check';
import { runCase } from '../harness';

const files = fs.readdirSync('models').filter((f) => f.endsWith('.vae')).map((f) => `models/${f}`);
await runCase({
  name: `parse + check every model (${files.length} files), ms per model`,
  unit: 'ms/model',
  reps: 7,
  warmup: 1,
  setup: () => files,
  rep: (fs_) => {
    const t0 = performance.now();
    for (const f of fs_) {
      const r = checkFile(f);
      if (!r.checked) throw new Error(`${f} does not check`);
    }
    return (performance.now() - t0) / fs_.length;
  },
});
