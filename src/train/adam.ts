/**
 * Adam (Kingma & Ba 2015) with fewer ops per variable than tfjs's implementation (12 against
 * 16, and no per-step bias-correction tensors): bias correction is folded into two scalars
 * computed in JS,
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *   p ← p − α_t m / (√v + ε̂),   α_t = lr √(1 − β2^t) / (1 − β1^t),   ε̂ = ε √(1 − β2^t),
 * which equals PyTorch's p ← p − lr m̂ / (√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
 * The interface is the part of tf.Optimizer the trainer uses: applyGradients, getWeights,
 * setWeights, dispose (the state is [iterations, m..., v...] like tfjs's, so checkpoints match).
 */
import * as tf from '@tensorflow/tfjs';

export interface StepOptimizer {
  applyGradients(grads: Record<string, tf.Tensor>): void;
  getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]>;
  setWeights(weights: { name: string; tensor: tf.Tensor }[]): Promise<void>;
  dispose(): void;
}

let counter = 0;

export class Adam implements StepOptimizer {
  private t = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly order: string[] = [];
  private readonly id = ++counter;
  /** Restores made so far: each gives its moment variables fresh names. */
  private generation = 0;

  constructor(
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {}

  private moments(name: string, shape: readonly number[]): [tf.Variable, tf.Variable] {
    let m = this.m.get(name);
    let v = this.v.get(name);
    if (!m || !v) {
      const z = tf.zeros([...shape]); // [...shape]
      m = tf.variable(z, false, `adam${this.id}/${name}/m`);
      v = tf.variable(z, false, `adam${this.id}/${name}/v`);
      z.dispose();
      this.m.set(name, m);
      this.v.set(name, v);
      this.order.push(name);
    }
    return [m, v];
  }

  applyGradients(grads: Record<string, tf.Tensor>): void {
    this.t++;
    const c2 = Math.sqrt(1 - this.beta2 ** this.t);
    const alpha = (this.lr * c2) / (1 - this.beta1 ** this.t);
    const eps = this.epsilon * c2;
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const p = tf.engine().registeredVariables[name];
        if (!p) continue;
        const [m, v] = this.moments(name, p.shape);
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)); // [...shape]
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)); // [...shape]
        m.assign(m1);
        v.assign(v1);
        p.assign(tf.sub(p, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), alpha))); // [...shape]
      }
    });
  }

  async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    return [{ name: 'iter', tensor: tf.scalar(this.t, 'int32') }, ...this.order.map((n) => ({ name: `${n}/m`, tensor: this.m.get(n)! as tf.Tensor })), ...this.order.map((n) => ({ name: `${n}/v`, tensor: this.v.get(n)! as tf.Tensor }))];
  }

  /**
   * Restores [iterations, m_1..m_n, v_1..v_n]. The i-th pair belongs to the variable named in
   * the weight's name (`<variable>/m`), or to the i-th of `variableNames` when given (a
   * checkpoint, whose weights are renamed opt1, opt2, ...).
   */
  async setWeights(weights: { name: string; tensor: tf.Tensor }[], variableNames?: readonly string[]): Promise<void> {
    const [iter, ...rest] = weights;
    this.t = iter ? (iter.tensor.dataSync()[0] ?? 0) : 0;
    const n = rest.length / 2;
    // The names travel with the weights (`<variable>/m`, as getWeights writes them); never alias
    // this.order, which disposeMoments() empties (that named every moment `undefined`).
    const names = variableNames ? [...variableNames] : rest.slice(0, n).map((w) => w.name.replace(/\/m$/, ''));
    if (names.length < n) throw new Error(`Adam.setWeights: ${n} moment pairs but ${names.length} variable names`);
    this.disposeMoments();
    const gen = ++this.generation;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      this.m.set(name, tf.variable(rest[i]!.tensor, false, `adam${this.id}/${name}/m#${gen}`));
      this.v.set(name, tf.variable(rest[n + i]!.tensor, false, `adam${this.id}/${name}/v#${gen}`));
      this.order.push(name);
    }
  }

  private disposeMoments(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
    this.order.length = 0;
  }

  dispose(): void {
    this.disposeMoments();
  }
}
