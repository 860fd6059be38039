// vae.vae training: ms per step and examples/s at batch 100 (z = 50, hidden 400, Adam).
import { runCase } from '../harness';
import { makeTrainer, timeSteps } from './common';

const file = process.argv[2] ?? 'models/vae.vae';
const batch = Number(process.argv[3] ?? 100);
const objective = process.argv[4] === 'iwae5' ? ({ kind: 'iwae', k: 5 } as const) : undefined;
const steps = 30;
await runCase({
  name: `train ${file}${objective ? ' (iwae k=5)' : ''} batch ${batch}`,
  unit: 'ms/step',
  reps: 5,
  warmup: 1,
  setup: () => makeTrainer(file, { batch, ...(objective ? { objective } : {}) }),
  rep: (s, i) => timeSteps(s.trainer, steps, i + 10),
  teardown: (s) => {
    s.trainer.dispose();
    s.prog.dispose();
  },
  extra: (_s, v) => ({ examplesPerSec: (1000 * batch) / (v.slice().sort((a, b) => a - b)[v.length >> 1] ?? 1), stepsPerRep: steps, batch }),
});
