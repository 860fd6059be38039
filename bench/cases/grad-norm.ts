// The cost of the gradient norm in a step line (src/train/step-log.ts): CPU time per
// models/vae.vae training step at batch 100 with the norm computed, over the time without it,
// from blocks of 12 steps alternated in ABBA order (in-process A/B; CPU time, so other jobs on
// the machine add less noise than to wall time). Each repetition reports the ratio of one pair.
import { runCase } from '../harness';
import { makeTrainer } from './common';

const STEPS = 12;

function cpuMsPerStep(s: ReturnType<typeof makeTrainer>, gradNorm: boolean, epoch: number): number {
  const batches = s.trainer.epochBatches(epoch);
  const c0 = process.cpuUsage();
  for (let i = 0; i < STEPS; i++) s.trainer.trainStep(batches[i % batches.length]!, epoch, epoch, { gradNorm });
  s.trainer.readStats();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / STEPS;
}

await runCase({
  name: 'gradient norm in the step lines: models/vae.vae step with / without',
  unit: 'x CPU time',
  reps: 16,
  warmup: 2,
  setup: () => makeTrainer('models/vae.vae', { batch: 100 }),
  rep: (s, i) => {
    const first = i % 2 === 0;
    const a = first ? cpuMsPerStep(s, true, i + 10) : NaN;
    const b = cpuMsPerStep(s, false, i + 10);
    const a2 = first ? a : cpuMsPerStep(s, true, i + 10);
    return a2 / b;
  },
  teardown: (s) => {
    s.trainer.dispose();
    s.prog.dispose();
  },
});
