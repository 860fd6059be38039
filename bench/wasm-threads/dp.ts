/**
 * Data parallelism over worker_threads for the VAE step: `world` replicas (the main thread and
 * world-1 workers), each with its own single-threaded tfjs-backend-wasm instance and an identical
 * copy of the parameters. Each replica computes the gradient of its rows of the minibatch (loss
 * scaled by 1/B, so the replicas' gradients sum to the full-batch gradient) and writes it into a
 * SharedArrayBuffer; after a barrier the gradients are summed in replica order (bit-identical on
 * every replica) and Adam is applied:
 *  - replicated: every replica sums everything and updates all parameters (one barrier per step;
 *    gradient slots are double-buffered by step parity, so a replica cannot overwrite a slot that
 *    another is still reading);
 *  - sharded (ZeRO-1 style): each replica sums and updates only the tensors it owns, publishes
 *    their new values and copies the others' in after a second barrier.
 * Both give the same parameters on every replica, and the same as each other.
 */
import * as tf from '@tensorflow/tfjs';
import {
  B, PARAM_NAMES, PARAM_SHAPES, PARAM_SIZES, PARAM_TOTAL, grads, makeBatch, makeEps, makeParams, type ParamName,
} from './vae-step';

export interface DpShared {
  world: number;
  /** Int32 [arrived, generation]. */
  ctl: SharedArrayBuffer;
  /**
   * Float32 [2 parities][world][PARAM_TOTAL + 1] (gradient, then the partial loss), then
   * [PARAM_TOTAL] parameters (sharded mode: each replica publishes the tensors it owns).
   */
  data: SharedArrayBuffer;
}

const SLOT = PARAM_TOTAL + 1;

export function makeShared(world: number): DpShared {
  return {
    world,
    ctl: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    data: new SharedArrayBuffer((2 * world * SLOT + PARAM_TOTAL) * Float32Array.BYTES_PER_ELEMENT),
  };
}

/** A sense-reversing barrier on [arrived, generation]; Atomics.wait is allowed on Node's main thread. */
function barrier(ctl: Int32Array, world: number): void {
  const gen = Atomics.load(ctl, 1);
  if (Atomics.add(ctl, 0, 1) === world - 1) {
    Atomics.store(ctl, 0, 0);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  } else {
    while (Atomics.load(ctl, 1) === gen) Atomics.wait(ctl, 1, gen);
  }
}

export class Replica {
  readonly params: Record<ParamName, tf.Variable>;
  private readonly opt: tf.Optimizer = tf.train.adam(1e-3);
  private readonly ctl: Int32Array;
  private readonly data: Float32Array;
  private readonly x: tf.Tensor2D;
  private readonly rows: number;
  private readonly row0: number;
  private readonly sum = new Float32Array(PARAM_TOTAL);
  /** Offset of each parameter in a slot, and the replica that owns it (sharded mode). */
  private readonly offsets: number[] = [];
  private readonly owner: number[] = [];

  /**
   * @param sharded false: every replica sums all gradients and runs Adam on all parameters.
   *   true (ZeRO-1 style): parameter tensors are split between replicas by size; each replica sums
   *   the gradients and runs Adam only for the tensors it owns, then publishes their new values and
   *   copies the others' in (a second barrier per step). Same arithmetic, same results.
   */
  constructor(private readonly shared: DpShared, private readonly rank: number, private readonly sharded = false) {
    this.ctl = new Int32Array(shared.ctl);
    this.data = new Float32Array(shared.data);
    this.params = makeParams(1);
    const per = Math.ceil(B / shared.world);
    this.row0 = rank * per;
    this.rows = Math.min(B, this.row0 + per) - this.row0;
    this.x = tf.tidy(() => tf.slice(makeBatch(7), [this.row0, 0], [this.rows, -1])) as tf.Tensor2D; // [rows, 784]
    // Greedy balance of the tensors over the replicas, largest first.
    const load = new Array<number>(shared.world).fill(0);
    const bySize = PARAM_NAMES.map((_, i) => i).sort((a, b) => PARAM_SIZES[b]! - PARAM_SIZES[a]!);
    for (const i of bySize) {
      const r = load.indexOf(Math.min(...load));
      this.owner[i] = r;
      load[r]! += PARAM_SIZES[i]!;
    }
    let off = 0;
    PARAM_SIZES.forEach((n, i) => { this.offsets[i] = off; off += n; });
  }

  /** One data-parallel step (all replicas must call it with the same `step`); returns the full-batch loss. */
  step(step: number): number {
    const world = this.shared.world;
    const parity = step & 1;
    const mine = (parity * world + this.rank) * SLOT;
    tf.tidy(() => {
      const eps = tf.slice(makeEps(step), [this.row0, 0], [this.rows, -1]) as tf.Tensor2D; // [rows, 50]
      const r = grads(this.params, this.x, eps, B);
      let off = mine;
      for (const g of r.grads) {
        const v = g.dataSync() as Float32Array;
        this.data.set(v, off);
        off += v.length;
      }
      this.data[mine + PARAM_TOTAL] = r.value.dataSync()[0]!;
    });
    barrier(this.ctl, world);
    const base = parity * world * SLOT;
    let lossSum = 0;
    for (let r = 0; r < world; r++) lossSum += this.data[base + r * SLOT + PARAM_TOTAL]!;
    const sum = this.sum;
    const ownedParams = PARAM_NAMES.map((_, i) => i).filter((i) => !this.sharded || this.owner[i] === this.rank);
    for (const i of ownedParams) {
      const lo = this.offsets[i]!;
      const hi = lo + PARAM_SIZES[i]!;
      sum.set(this.data.subarray(base + lo, base + hi), lo);
      for (let r = 1; r < world; r++) {
        const o = base + r * SLOT;
        for (let k = lo; k < hi; k++) sum[k]! += this.data[o + k]!;
      }
    }
    tf.tidy(() => {
      const named: tf.NamedTensorMap = {};
      for (const i of ownedParams) {
        const n = PARAM_NAMES[i]!;
        named[this.params[n].name] = tf.tensor(sum.subarray(this.offsets[i]!, this.offsets[i]! + PARAM_SIZES[i]!), PARAM_SHAPES[n]);
      }
      this.opt.applyGradients(named);
    });
    if (!this.sharded) return lossSum;
    // All-gather of the updated parameters. The next write to this region comes after the next
    // step's first barrier, which every replica reaches only after copying these values in.
    const pbase = 2 * world * SLOT;
    for (const i of ownedParams) {
      this.data.set(this.params[PARAM_NAMES[i]!].dataSync() as Float32Array, pbase + this.offsets[i]!);
    }
    barrier(this.ctl, world);
    tf.tidy(() => {
      PARAM_NAMES.forEach((n, i) => {
        if (this.owner[i] === this.rank) return;
        const o = pbase + this.offsets[i]!;
        this.params[n].assign(tf.tensor(this.data.subarray(o, o + PARAM_SIZES[i]!), PARAM_SHAPES[n]));
      });
    });
    return lossSum;
  }
}
