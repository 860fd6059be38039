// Memory stays flat: tf.memory().numTensors after 1000 training steps equals the count after
// 10, and RSS grows by less than 50 MB between them.
import * as tf from '@tensorflow/tfjs';
import { runCase } from '../harness';
import { makeTrainer } from './common';

await runCase({
  name: 'memory over 1000 training steps of models/vae.vae',
  unit: 'MB RSS growth (10 -> 1000 steps)',
  reps: 1,
  warmup: 0,
  timed: false,
  setup: () => makeTrainer('models/vae.vae', { batch: 100 }),
  rep: (s) => {
    const batches = s.trainer.epochBatches(0);
    const step = (i: number) => s.trainer.trainStep(batches[i % batches.length]!, 0, 0);
    for (let i = 0; i < 10; i++) step(i);
    s.trainer.readStats();
    const t10 = tf.memory().numTensors;
    const rss10 = process.memoryUsage().rss;
    for (let i = 10; i < 1000; i++) {
      step(i);
      if (i % 50 === 0) s.trainer.readStats();
    }
    s.trainer.readStats();
    (s as { t10?: number; t1000?: number }).t10 = t10;
    (s as { t10?: number; t1000?: number }).t1000 = tf.memory().numTensors;
    return (process.memoryUsage().rss - rss10) / 2 ** 20;
  },
  extra: (s) => ({ tensorsAfter10Steps: (s as { t10?: number }).t10, tensorsAfter1000Steps: (s as { t1000?: number }).t1000 }),
  teardown: (s) => {
    s.trainer.dispose();
    s.prog.dispose();
  },
});
