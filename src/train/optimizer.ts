/**
 * Optimizers from the train block's `optimizer:` setting: Adam is vaelang's own (fewer ops per
 * step, see adam.ts); SGD, momentum and RMSProp are tfjs's.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../dsl/train-config';
import { Adam, type StepOptimizer } from './adam';

export type { StepOptimizer } from './adam';

export function makeOptimizer(c: OptimizerConfig): StepOptimizer {
  switch (c.kind) {
    case 'adam':
      return new Adam(c.lr, c.beta1, c.beta2, c.epsilon);
    case 'sgd':
      return (c.momentum > 0 ? tf.train.momentum(c.lr, c.momentum) : tf.train.sgd(c.lr)) as unknown as StepOptimizer;
    case 'rmsprop':
      return tf.train.rmsprop(c.lr, c.decay, c.momentum, c.epsilon) as unknown as StepOptimizer;
  }
}
