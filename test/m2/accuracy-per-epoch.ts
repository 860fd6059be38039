/**
 * Test accuracy of a semi-supervised run after every epoch (docs/m2-results.md).
 *
 *   npx tsx test/m2/accuracy-per-epoch.ts --epochs 9 --out /tmp/m2-100 -- models/m2.vae --valid 0
 *   npx tsx test/m2/accuracy-per-epoch.ts --epochs 9 --out /tmp/m2-score -- models/m2.vae --valid 0 --estimator y=score
 *
 * Everything after `--` goes to `vae train` unchanged. The script trains one epoch with
 * `vae train ... --epochs 1 --out DIR`, then alternates: the accuracy of argmax q(y|x) on the
 * whole test split of the run's data (evalAccuracy, as `vae eval DIR` reports it), and
 * `vae train --resume DIR --epochs e+1`. Resuming is exact (the minibatch order, the dynamic
 * binarization and the noise are functions of seed, epoch and step; the optimizer state is in
 * the checkpoint), so the run is the one `vae train ... --epochs N` would make. Each epoch
 * appends {epoch, accuracy, n, seconds, trainElbo, load} to DIR/accuracy.jsonl, where seconds
 * is the training time of the epoch (metrics.jsonl, evaluation excluded) and load the 1-minute
 * load average when it ended. Not a vitest test (no `.test.ts`): it takes minutes per epoch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { evalAccuracy } from '../../src/eval/metrics';
import { bindData } from '../../src/train/data-binding';
import { restoreRun } from '../../src/train/session';

function usage(): never {
  process.stderr.write('usage: npx tsx test/m2/accuracy-per-epoch.ts --epochs N --out DIR [--from E] -- FILE.vae [vae train flags]\n');
  process.exit(2);
}

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0) usage();
const own = argv.slice(0, sep);
const trainArgs = argv.slice(sep + 1);
const flag = (name: string): string | undefined => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1] : undefined;
};
const epochs = Number(flag('--epochs') ?? usage());
const out = flag('--out') ?? usage();
/** Continue an existing run from epoch E + 1 (its accuracy.jsonl already has epochs 1..E). */
const from = Number(flag('--from') ?? 0);

async function accuracy(dir: string): Promise<{ accuracy: number; n: number }> {
  const run = restoreRun(dir);
  try {
    const bound = await bindData(run.prog.checked, { data: run.contents.state.data.source, role: 'train', labelsPerClass: null, seed: run.contents.state.seed, splits: ['test'] });
    const [a] = evalAccuracy({ prog: run.prog, data: bound.splits.test, dynamic: bound.dynamic, seed: run.contents.state.seed });
    if (!a) throw new Error('the program has no classified Category site');
    return { accuracy: a.accuracy, n: a.n };
  } finally {
    run.prog.dispose();
  }
}

function lastMetrics(dir: string): { seconds: number; trainElbo: number } {
  const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { seconds: number; trainElbo: number };
}

for (let e = from + 1; e <= epochs; e++) {
  const code = e === 1 ? await main(['train', ...trainArgs, '--epochs', '1', '--out', out]) : await main(['train', '--resume', out, '--epochs', String(e)]);
  if (code !== 0) process.exit(code);
  const m = lastMetrics(out);
  const a = await accuracy(out);
  const rec = { epoch: e, accuracy: a.accuracy, n: a.n, seconds: m.seconds, trainElbo: m.trainElbo, load: os.loadavg()[0] ?? NaN };
  fs.appendFileSync(path.join(out, 'accuracy.jsonl'), `${JSON.stringify(rec)}\n`);
  process.stderr.write(`== epoch ${e}: test accuracy ${(100 * a.accuracy).toFixed(2)}% of ${a.n}, ${m.seconds.toFixed(1)} s, load ${rec.load.toFixed(2)}\n`);
}
