/**
 * Optimizers from the train block's `optimizer:` setting, over the variables they are given
 * (never tfjs's global variable registry): Adam (adam.ts, fewer ops per step), SGD with optional
 * momentum (sgd.ts) and RMSProp (rmsprop.ts), the latter two step-for-step equal to tfjs's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../dsl/train-config';
import { Adam } from './adam';
import { RmsProp } from './rmsprop';
import { Sgd } from './sgd';
import type { StepOptimizer } from './slots';

export type { StepOptimizer } from './slots';

export function makeOptimizer(c: OptimizerConfig, variables: readonly tf.Variable[]): StepOptimizer {
  switch (c.kind) {
    case 'adam':
      return new Adam(variables, c.lr, c.beta1, c.beta2, c.epsilon);
    case 'sgd':
      return new Sgd(variables, c.lr, c.momentum);
    case 'rmsprop':
      return new RmsProp(variables, c.lr, c.decay, c.momentum, c.epsilon);
  }
}
