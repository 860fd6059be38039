/**
 * The batch/event bookkeeping of shape rule 'vector' (see types.ts): the site shape
 * S = [...outer, d] ends in a vector axis; each parameter is S with `rankOffset` axes added
 * (a matrix per vector) or dropped (a scalar per vector) on the right. Log-densities are
 * computed per vector, [...batch, ...outer], then summed over the outer event axes.
 */
import * as tf from '@tensorflow/tfjs';
import { BaseDistribution, type Params } from './base';
import { broadcastShapes, sumRightmost, tryBroadcast } from './shapes';
import type { Tensor } from './types';

/** A parameter and its rank relative to the site's. */
export interface VectorParam {
  readonly name: string;
  readonly t: Tensor;
  readonly rankOffset: -1 | 0 | 1;
  /** rankOffset 1 only: a d x d matrix (scale_tril) rather than d x m (cov_factor). */
  readonly square?: boolean;
}

export abstract class VectorDistribution extends BaseDistribution {
  readonly batchShape: readonly number[];
  /** The vector length d. */
  readonly d: number;
  /** [...batchShape, ...outer]: the shape of one value per vector. */
  protected readonly vectorsShape: readonly number[];

  protected constructor(params: Params, eventShape: readonly number[], family: string, parts: readonly VectorParam[]) {
    super(params, eventShape);
    if (eventShape.length === 0) throw new Error(`${family}: the site must be a vector (its last axis is the vector axis)`);
    this.d = eventShape[eventShape.length - 1]!;
    const outer = eventShape.slice(0, -1);
    // Each parameter's shape with the per-vector axes removed: [...batch, ...outer].
    const heads = parts.map((p) => {
      const keep = p.t.rank - (p.rankOffset + 1);
      const tail = p.t.shape.slice(Math.max(keep, 0));
      if (p.rankOffset >= 0 && tail[0] !== undefined && tail[0] !== this.d && tail[0] !== 1) {
        throw new Error(`${family}: ${p.name} has shape [${p.t.shape.join(',')}], whose vector axis does not fit the site's ${this.d}`);
      }
      if (p.rankOffset === 1 && p.square === true && tail[1] !== this.d) {
        throw new Error(`${family}: ${p.name} must be ${this.d} x ${this.d}, found [${p.t.shape.join(',')}]`);
      }
      return p.t.shape.slice(0, Math.max(keep, 0));
    });
    const full = tryBroadcast(...heads, outer);
    if (full === undefined || !sameTail(full, outer)) {
      throw new Error(`${family}: parameter shapes ${parts.map((p) => `[${p.t.shape.join(',')}]`).join(', ')} do not fit the site shape [${eventShape.join(',')}]`);
    }
    this.vectorsShape = full;
    this.batchShape = full.slice(0, full.length - outer.length);
  }

  /** log p per vector, [...broadcast(value batch, batch), ...outer]. */
  protected abstract logProbVectors(value: Tensor): Tensor;

  /** log p summed over the event axes: [...broadcast(value batch, batch)]. */
  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const lp = this.logProbVectors(value); // [..., ...outer]
      const shape = broadcastShapes(lp.shape, value.shape.slice(0, -1), this.vectorsShape);
      return sumRightmost(tf.broadcastTo(lp, shape), this.eventShape.length - 1); // [...batch]
    });
  }

  /** Sums a per-vector quantity [...batch, ...outer] over the outer event axes: [...batch]. */
  protected sumOuter(t: Tensor): Tensor {
    return sumRightmost(tf.broadcastTo(t, [...this.vectorsShape]), this.eventShape.length - 1); // [...batch]
  }
}

function sameTail(full: readonly number[], tail: readonly number[]): boolean {
  return tail.every((d, i) => full[full.length - tail.length + i] === d);
}
