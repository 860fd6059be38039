/**
 * What every optimizer shares: the variables it updates, given explicitly (never looked up in
 * tfjs's global variable registry), per-variable state slots created on a variable's first
 * gradient, and tfjs's checkpoint layout [iter, slot kind 1 for each variable, slot kind 2 ...],
 * so checkpoints of the optimizers tfjs used to provide load unchanged.
 */
import * as tf from '@tensorflow/tfjs';

export interface NamedWeight {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** The part of an optimizer the trainer uses. */
export interface StepOptimizer {
  /** One step: each variable named in `grads` (by tf.Variable name, as tf.variableGrads gives them) moves. */
  applyGradients(grads: Record<string, tf.Tensor>): void;
  /** [iter, slots...]; entry 0 is a fresh scalar the caller disposes, the others are live variables. */
  getWeights(): Promise<NamedWeight[]>;
  /**
   * Restores getWeights' layout. The i-th slot of each kind belongs to the i-th of
   * `variableNames` when given (a checkpoint, whose weights are renamed opt1, opt2, ...), else to
   * the variable named in the weight's name (`<variable>/<kind>`, as getWeights writes them).
   */
  setWeights(weights: NamedWeight[], variableNames?: readonly string[]): Promise<void>;
  dispose(): void;
}

/** A variable, its gradient and its slots, as one step updates them. */
export interface SlotUpdate {
  readonly p: tf.Variable;
  readonly g: tf.Tensor;
  readonly slots: readonly tf.Variable[];
}

/** Per-variable slots (kinds such as 'm' and 'v'), created in the order variables first get a gradient. */
export abstract class SlotOptimizer implements StepOptimizer {
  protected t = 0;
  private readonly byName: ReadonlyMap<string, tf.Variable>;
  private readonly slots = new Map<string, tf.Variable[]>();
  private readonly order: string[] = [];

  protected constructor(
    variables: readonly tf.Variable[],
    /** Slot kinds, in checkpoint order, with the suffix tfjs gives their names (e.g. ['momentum']). */
    private readonly kinds: readonly string[],
  ) {
    this.byName = new Map(variables.map((v) => [v.name, v]));
  }

  /** Updates `p` from gradient `g` and its slots (assign to both); runs inside a tidy. */
  protected abstract update(p: tf.Variable, g: tf.Tensor, slots: readonly tf.Variable[]): void;

  /** Called once per step before the updates (e.g. Adam's bias corrections). */
  protected beginStep(): void {}

  /**
   * Updates every variable of the step at once and returns true, or returns false to have
   * update() called per variable (the default). Adam fuses its step here on wasm (src/kernels).
   */
  protected updateAll(_items: readonly SlotUpdate[]): boolean {
    return false;
  }

  private slotsOf(name: string, p: tf.Variable): tf.Variable[] {
    let s = this.slots.get(name);
    if (!s) {
      s = this.kinds.map(() => tf.variable(tf.zerosLike(p), false)); // each [...p.shape]
      this.slots.set(name, s);
      this.order.push(name);
    }
    return s;
  }

  applyGradients(grads: Record<string, tf.Tensor>): void {
    this.t++;
    this.beginStep();
    const items: SlotUpdate[] = [];
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const p = this.byName.get(name);
        if (!p || !g) continue;
        items.push({ p, g, slots: this.slotsOf(name, p) });
      }
    });
    if (this.updateAll(items)) return;
    tf.tidy(() => {
      for (const { p, g, slots } of items) this.update(p, g, slots);
    });
  }

  async getWeights(): Promise<NamedWeight[]> {
    const out: NamedWeight[] = [{ name: 'iter', tensor: tf.scalar(this.t, 'int32') }];
    this.kinds.forEach((kind, k) => {
      for (const n of this.order) out.push({ name: `${n}/${kind}`, tensor: this.slots.get(n)![k]! });
    });
    return out;
  }

  async setWeights(weights: NamedWeight[], variableNames?: readonly string[]): Promise<void> {
    const [iter, ...rest] = weights;
    this.t = iter ? (iter.tensor.dataSync()[0] ?? 0) : 0;
    const n = rest.length / Math.max(1, this.kinds.length);
    const suffix = `/${this.kinds[0] ?? ''}`;
    const names = variableNames ? [...variableNames] : rest.slice(0, n).map((w) => (w.name.endsWith(suffix) ? w.name.slice(0, -suffix.length) : w.name));
    if (names.length < n) throw new Error(`setWeights: ${n} slots per kind but ${names.length} variable names`);
    this.disposeSlots();
    for (let i = 0; i < n && this.kinds.length > 0; i++) {
      const name = names[i]!;
      this.slots.set(name, this.kinds.map((_, k) => tf.variable(rest[k * n + i]!.tensor, false)));
      this.order.push(name);
    }
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) for (const v of s) v.dispose();
    this.slots.clear();
    this.order.length = 0;
  }

  dispose(): void {
    this.disposeSlots();
  }
}
