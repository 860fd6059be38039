/** Optimizers from the train block's `optimizer:` setting (tfjs's implementations). */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../dsl/train-config';

export function makeOptimizer(c: OptimizerConfig): tf.Optimizer {
  switch (c.kind) {
    case 'adam':
      return tf.train.adam(c.lr, c.beta1, c.beta2, c.epsilon);
    case 'sgd':
      return c.momentum > 0 ? tf.train.momentum(c.lr, c.momentum) : tf.train.sgd(c.lr);
    case 'rmsprop':
      return tf.train.rmsprop(c.lr, c.decay, c.momentum, c.epsilon);
  }
}
