/**
 * Stochastic gradient descent, with heavy-ball momentum when `momentum > 0` (Polyak 1964;
 * Sutskever et al. 2013), exactly tfjs's SGD and Momentum optimizers step for step:
 *   a ← μ a + g,   p ← p − lr a      (p ← p − lr g without momentum).
 * The variables are given explicitly; checkpoints keep tfjs's layout [iter, a...] (slots.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer } from './slots';

export class Sgd extends SlotOptimizer {
  private readonly c: number;

  constructor(
    variables: readonly tf.Variable[],
    lr: number,
    private readonly momentum = 0,
  ) {
    super(variables, momentum > 0 ? ['momentum'] : []);
    this.c = -lr;
  }

  protected update(p: tf.Variable, g: tf.Tensor, [a]: readonly tf.Variable[]): void {
    if (!a) {
      p.assign(tf.add(tf.mul(this.c, g), p)); // [...shape]
      return;
    }
    const a1 = tf.add(tf.mul(this.momentum, a), g); // [...shape]
    a.assign(a1);
    p.assign(tf.add(tf.mul(this.c, a1), p)); // [...shape]
  }
}
