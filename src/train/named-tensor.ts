/** A named tensor, as tfjs optimizers and tf.io use them (optimizer state, checkpoint weights). */
import type * as tf from '@tensorflow/tfjs';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}
