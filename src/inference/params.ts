/**
 * The parameter store: named tf.Variables, created from the compiled program with seeded
 * initializers. Explicit (never global) and disposable. Each variable belongs to a group (a net,
 * a `param`, or a learnable prior) and a side (model or guide), which the estimator tools use.
 */
import * as tf from '@tensorflow/tfjs';

export type Side = 'model' | 'guide' | 'both';

export interface ParamEntry {
  readonly name: string;
  readonly group: string;
  readonly variable: tf.Variable;
}

export class ParamStore {
  private readonly entries = new Map<string, ParamEntry>();
  private readonly sides = new Map<string, Side>();

  /** Creates a variable once; later calls with the same name return the existing one. */
  create(name: string, group: string, init: () => tf.Tensor): tf.Variable {
    const existing = this.entries.get(name);
    if (existing) return existing.variable;
    const value = tf.tidy(init);
    // Unnamed: tfjs names variables uniquely per process, so stores never clash (no counter here).
    const variable = tf.variable(value, true);
    value.dispose();
    this.entries.set(name, { name, group, variable });
    return variable;
  }

  get(name: string): tf.Variable {
    const e = this.entries.get(name);
    if (!e) throw new Error(`no parameter '${name}'`);
    return e.variable;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  setSide(group: string, side: Side): void {
    const prev = this.sides.get(group);
    this.sides.set(group, prev !== undefined && prev !== side ? 'both' : side);
  }

  sideOf(group: string): Side {
    return this.sides.get(group) ?? 'model';
  }

  variables(): tf.Variable[] {
    return [...this.entries.values()].map((e) => e.variable);
  }

  list(): ParamEntry[] {
    return [...this.entries.values()];
  }

  /** Variable groups in creation order: group name -> variables. */
  groups(): Map<string, tf.Variable[]> {
    const out = new Map<string, tf.Variable[]>();
    for (const e of this.entries.values()) out.set(e.group, [...(out.get(e.group) ?? []), e.variable]);
    return out;
  }

  /** Total number of scalar parameters. */
  size(): number {
    return [...this.entries.values()].reduce((n, e) => n + e.variable.size, 0);
  }

  /** Copies of every value (for snapshots); the caller disposes them. */
  snapshot(): Map<string, tf.Tensor> {
    return new Map([...this.entries].map(([k, e]) => [k, e.variable.clone()]));
  }

  restore(values: ReadonlyMap<string, tf.Tensor>): void {
    for (const [k, v] of values) {
      const e = this.entries.get(k);
      if (e) e.variable.assign(v);
    }
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
  }
}
