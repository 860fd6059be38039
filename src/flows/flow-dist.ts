/**
 * The Flow distribution: a base distribution q0 over vectors (event shape [d]) pushed through a
 * stack of flow layers, z_L = f_L ∘ … ∘ f_1(z_0), z_0 ~ q0 (Rezende & Mohamed 2015, §3, eq. 6-7):
 *
 *   log q_L(z_L) = log q0(z_0) − Σ_l log|det ∂f_l/∂z_{l−1}|.
 *
 * Densities. For a value this instance drew itself (`rsample`/`sample`), z_0 and Σ log|det| were
 * kept in a WeakMap keyed by the returned tensor, so log q is exact for every layer kind. When
 * every layer is invertible (affine coupling, Dinh et al. 2017), any value has a density, by
 * running the inverses: z_{l−1} = f_l⁻¹(z_l), log q_L(x) = log q0(z_0) + Σ_l log|det ∂f_l⁻¹/∂z_l|
 * — this is what a flow *prior* needs (the model scores the guide's sample). Planar, radial and
 * IAF layers have no closed-form inverse: the density of any other value is an Error.
 *
 * Gradients. `rsample` is reparameterized: gradients reach the base parameters and every layer
 * parameter, and `logProb(rsample(...))` differentiates along the sample path (the ELBO's
 * estimator). `sample` carries no gradient; for an invertible flow its log-density is computed by
 * the inverses (differentiable at the fixed value, as score-function estimators need), otherwise
 * from the cache, as a value without gradient.
 *
 * Memory. The cached z_0 and Σ log|det| live in the tidy scope that drew the sample (the training
 * step's) and are freed with it. A value kept past that scope (e.g. returned from a tidy) loses
 * its cache: logProb then uses the inverses or throws.
 *
 * Not supported: `withParams` (the STL/DReG estimators detach the guide's parameters, and a flow's
 * parameters live in its layers), mean/variance/entropy (no closed forms).
 */
import * as tf from '@tensorflow/tfjs';
import { broadcastShapes, expandTo, resolveBatch } from '../distributions/shapes';
import { Flow as schema } from '../distributions/schemas/composite';
import type { Distribution, DistSpec } from '../distributions/types';
import type { Rng } from '../core/rng';
import { stopGradient } from '../inference/stop-gradient';
import type { FlowLayer, LayerOutput, Tensor } from './common';

/** What a sample remembers: the base draw and the accumulated log-determinant. */
interface CacheEntry {
  /** z_0, [...batch, d]. */
  readonly z0: Tensor;
  /** Σ_l log|det ∂f_l/∂z_{l−1}|, [...batch]. */
  readonly logDet: Tensor;
  /** True for `sample` draws (no gradient). */
  readonly detached: boolean;
}

/**
 * The Flow family's spec. Flows are assembled by the compiler from a base distribution and layers,
 * so `create` throws; the checker special-cases `Flow`.
 */
export const Flow: DistSpec = {
  ...schema,
  create() {
    throw new Error('Flow distributions are built by the compiler (new FlowDist(base, layers)), not from parameters');
  },
};

/**
 * A normalizing flow over vectors: `base` (event shape [d]) through `layers` (each on size d).
 * @example
 *   const q = new FlowDist(normal, [planar.build(p0), planar.build(p1)]);
 *   const z = q.rsample(rng, [K, B]);   // [K, B, d]
 *   const lq = q.logProb(z);            // [K, B], exact
 */
export class FlowDist implements Distribution {
  readonly spec: DistSpec = Flow;
  readonly base: Distribution;
  readonly layers: readonly FlowLayer[];
  readonly eventShape: readonly number[];
  /** broadcast(base batch shape, every layer's batch shape). */
  readonly batchShape: readonly number[];
  /** `base.<name>` for the base's parameters and `layer<i>.<name>` for the layers' (not owned). */
  readonly params: Readonly<Record<string, Tensor>>;
  /** True when every layer has an inverse: densities exist at any point. */
  readonly invertible: boolean;
  private readonly cache = new WeakMap<Tensor, CacheEntry>();

  constructor(base: Distribution, layers: readonly FlowLayer[]) {
    if (base.eventShape.length !== 1) {
      throw new Error(`Flow: the base distribution must be over vectors (event shape [d]), got [${base.eventShape.join(', ')}]`);
    }
    const d = base.eventShape[0]!;
    layers.forEach((l, i) => {
      if (l.dim !== d) throw new Error(`Flow: layer ${i} (${l.kind}) is for vectors of size ${l.dim}, the base has size ${d}`);
    });
    this.base = base;
    this.layers = [...layers];
    this.eventShape = [d];
    try {
      this.batchShape = broadcastShapes(base.batchShape, ...layers.map((l) => l.batchShape));
    } catch {
      throw new Error(`Flow: the batch shapes of the base [${base.batchShape.join(', ')}] and layers ${layers.map((l) => `[${l.batchShape.join(', ')}]`).join(', ')} do not broadcast`);
    }
    const params: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(base.params)) params[`base.${k}`] = v;
    layers.forEach((l, i) => {
      for (const [k, v] of Object.entries(l.params)) params[`layer${i}.${k}`] = v;
    });
    this.params = params;
    this.invertible = layers.every((l) => l.inverse !== undefined);
  }

  /**
   * Pushes z_0 [...batch, d] through the layers: z_L [...batch', d] and Σ log|det ∂f_l/∂z_{l−1}|
   * [...batch'] (batch' = broadcast(batch, layer batch shapes)).
   */
  transform(z0: Tensor): LayerOutput {
    return tf.tidy(() => {
      let z = z0; // [...batch, d]
      let logDet: Tensor = tf.zeros(z0.shape.slice(0, -1)); // [...batch]
      for (const layer of this.layers) {
        const out = layer.forward(z); // [...batch', d], [...batch']
        z = out.z;
        logDet = tf.add(logDet, out.logDet); // [...batch']
      }
      return { z, logDet };
    });
  }

  /**
   * Runs the inverses (invertible flows only): z_0 [...batch', d] and Σ log|det ∂f_l⁻¹/∂z_l|
   * [...batch'] for x [...batch, d].
   */
  invert(x: Tensor): LayerOutput {
    if (!this.invertible) throw new Error(`Flow: ${this.kinds()} layers have no inverse`);
    return tf.tidy(() => {
      let z = x; // [...batch, d]
      let logDet: Tensor = tf.zeros(x.shape.slice(0, -1)); // [...batch]
      for (let l = this.layers.length - 1; l >= 0; l--) {
        const out = this.layers[l]!.inverse!(z); // [...batch', d], [...batch']
        z = out.z;
        logDet = tf.add(logDet, out.logDet); // [...batch']
      }
      return { z, logDet };
    });
  }

  /**
   * A reparameterized draw [...batchShape, d] (default: this.batchShape; may add axes in front,
   * e.g. [K, B]); differentiable in the base and layer parameters. Remembers z_0 and Σ log|det|.
   */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const bs = resolveBatch(this.batchShape, batchShape);
    const base = this.base;
    if (!base.rsample) throw new Error(`Flow: the base distribution ${base.spec.name} has no reparameterized sampler`);
    const [x, z0, logDet] = tf.tidy(() => {
      const z0 = base.rsample!(rng, bs); // [...bs, d]
      const out = this.transform(z0); // [...bs, d], [...bs]
      return [out.z, z0, out.logDet]; // [...bs, d], [...bs, d], [...bs]
    }) as [Tensor, Tensor, Tensor]; // x [...bs, d], z0 [...bs, d], logDet [...bs]
    this.cache.set(x, { z0, logDet, detached: false });
    return x;
  }

  /** As {@link rsample} without gradient (the base's `sample`, pushed through stopped layers). */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const bs = resolveBatch(this.batchShape, batchShape);
    const [x, z0, logDet] = tf.tidy(() => {
      const z0 = this.base.sample(rng, bs); // [...bs, d]
      const out = this.transform(z0); // [...bs, d], [...bs]
      return [stopGradient(out.z), z0, stopGradient(out.logDet)]; // [...bs, d], [...bs, d], [...bs]
    }) as [Tensor, Tensor, Tensor]; // x [...bs, d], z0 [...bs, d], logDet [...bs]
    if (this.invertible) {
      // Densities come from the inverses (differentiable at the fixed value); no cache needed.
      z0.dispose();
      logDet.dispose();
    } else {
      this.cache.set(x, { z0, logDet, detached: true });
    }
    return x;
  }

  /**
   * log q(value), [...broadcast(value batch, batchShape)]: exact for this instance's own samples
   * (any layers) and, for invertible flows, for any value [..., d].
   * @throws Error for a foreign value when a layer has no inverse (planar, radial, IAF).
   */
  logProb(value: Tensor): Tensor {
    const entry = this.cache.get(value);
    const alive = entry !== undefined && !entry.z0.isDisposed && !entry.logDet.isDisposed;
    if (entry !== undefined && alive && !(entry.detached && this.invertible)) {
      return tf.tidy(() => {
        const lq = tf.sub(this.base.logProb(entry.z0), entry.logDet); // [...bs]
        return entry.detached ? stopGradient(lq) : lq; // [...bs]
      });
    }
    if (this.invertible) {
      return tf.tidy(() => {
        if (value.rank < 1 || value.shape[value.rank - 1] !== this.eventShape[0]) {
          throw new Error(`Flow: value has shape [${value.shape.join(', ')}], expected [..., ${this.eventShape[0]}]`);
        }
        const { z, logDet } = this.invert(value); // [...batch', d], [...batch']
        const lp = tf.add(this.base.logProb(z), logDet); // [...broadcast]
        return expandTo(lp, broadcastShapes(lp.shape, value.shape.slice(0, -1), this.batchShape)); // [...broadcast(value batch, batchShape)]
      });
    }
    if (entry !== undefined) {
      throw new Error(
        'Flow: the base sample cached for this value was disposed (call logProb inside the tidy scope that drew the sample); ' +
          `the density of a planar/radial/IAF flow is only available at its own samples`,
      );
    }
    throw new Error(
      `Flow: the density of a planar/radial/IAF flow is only available at its own samples (this flow has ${this.kinds()} layers, which have no inverse; pass the tensor returned by its rsample/sample, or use coupling layers for a density at any point)`,
    );
  }

  /**
   * Not supported: STL and DReG detach the guide's parameters through `withParams`, which a flow
   * (whose parameters live in its layers) does not offer.
   */
  withParams(_params: Readonly<Record<string, Tensor>>): Distribution {
    throw new Error('Flow: withParams is not supported (the STL/DReG estimators are not available for flows)');
  }

  /** The kinds of the layers without an inverse, e.g. "planar, iaf". */
  private kinds(): string {
    const kinds = [...new Set(this.layers.filter((l) => l.inverse === undefined).map((l) => l.kind))];
    return kinds.join(', ');
  }
}
