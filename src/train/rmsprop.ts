/**
 * RMSProp (Tieleman & Hinton 2012, lecture 6.5) with momentum, exactly tfjs's (uncentered)
 * RMSProp step for step:
 *   s ← ρ s + (1 − ρ) g²,   a ← μ a + lr g / √(s + ε),   p ← p − a.
 * The variables are given explicitly; checkpoints keep tfjs's layout [iter, s..., a...] (slots.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer } from './slots';

export class RmsProp extends SlotOptimizer {
  constructor(
    variables: readonly tf.Variable[],
    private readonly lr: number,
    private readonly decay = 0.9,
    private readonly momentum = 0,
    private readonly epsilon = 1e-7,
  ) {
    super(variables, ['rms', 'momentum']);
  }

  protected update(p: tf.Variable, g: tf.Tensor, [s, a]: readonly tf.Variable[]): void {
    const s1 = tf.add(tf.mul(s!, this.decay), tf.mul(tf.square(g), 1 - this.decay)); // [...shape]
    const a1 = tf.add(tf.mul(a!, this.momentum), tf.div(tf.mul(g, this.lr), tf.sqrt(tf.add(s1, this.epsilon)))); // [...shape]
    s!.assign(s1);
    a!.assign(a1);
    p.assign(tf.sub(p, a1)); // [...shape]
  }
}
