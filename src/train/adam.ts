/**
 * Adam (Kingma & Ba 2015) with fewer ops per variable than tfjs's implementation (12 against
 * 16, and no per-step bias-correction tensors): bias correction is folded into two scalars
 * computed in JS,
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *   p ← p − α_t m / (√v + ε̂),   α_t = lr √(1 − β2^t) / (1 − β1^t),   ε̂ = ε √(1 − β2^t),
 * which equals PyTorch's p ← p − lr m̂ / (√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
 * The variables are given explicitly; the state is [iterations, m..., v...] like tfjs's Adam's,
 * so checkpoints match (slots.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAdamStep } from '../kernels/adam';
import { SlotOptimizer, type SlotUpdate } from './slots';

export type { StepOptimizer } from './slots';

export class Adam extends SlotOptimizer {
  /** Step size and ε folded with this step's bias corrections (see the module comment). */
  private alpha = 0;
  private eps = 0;

  constructor(
    variables: readonly tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    super(variables, ['m', 'v']);
  }

  protected override beginStep(): void {
    const c2 = Math.sqrt(1 - this.beta2 ** this.t);
    this.alpha = (this.lr * c2) / (1 - this.beta1 ** this.t);
    this.eps = this.epsilon * c2;
  }

  /** Every variable in one kernel on wasm (src/kernels: the same float32 arithmetic as update()). */
  protected override updateAll(items: readonly SlotUpdate[]): boolean {
    const slots = items.map(({ p, g, slots: [m, v] }) => ({ p, g, m: m!, v: v! }));
    return fusedAdamStep(slots, { beta1: this.beta1, beta2: this.beta2, alpha: this.alpha, eps: this.eps });
  }

  protected update(p: tf.Variable, g: tf.Tensor, [m, v]: readonly tf.Variable[]): void {
    const m1 = tf.add(tf.mul(m!, this.beta1), tf.mul(g, 1 - this.beta1)); // [...shape]
    const v1 = tf.add(tf.mul(v!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)); // [...shape]
    m!.assign(m1);
    v!.assign(v1);
    p.assign(tf.sub(p, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), this.eps)), this.alpha))); // [...shape]
  }
}
