/**
 * `enumerate(dims)`: a guide site whose estimator rule draws `enumerate` takes its whole support
 * instead of a sample, on its own batch dim: the run's DimAllocator hands out dims left of every
 * plate dim (src/inference/dims.ts), so the first enumerated site gets values of shape
 * [n, 1, 1, ...event] (dim -3 under the plates [K, B]), the next [n, 1, 1, 1, ...event], and
 * downstream computations broadcast to [..., n_2, n_1, K, B] (vectorized, as Pyro's parallel
 * enumeration).
 */
import { ruleOf } from '../estimators/index';
import type { DimAllocator } from '../dims';
import type { Handler, SampleMsg } from '../messages';

export class EnumerateHandler implements Handler {
  /** The number of sites enumerated in this run. */
  count = 0;
  constructor(private readonly dims: DimAllocator) {}

  process(msg: SampleMsg): void {
    if (msg.estimator === null || ruleOf(msg.estimator).draw !== 'enumerate' || msg.value !== null || !msg.dist.enumerateSupport) return;
    const support = msg.dist.enumerateSupport(); // [n, ...event]
    const n = support.shape[0]!;
    const event = support.shape.slice(1);
    const dim = this.dims.allocateEnum(msg.site.name);
    this.count++;
    msg.value = support.reshape([n, ...new Array<number>(-dim - 1).fill(1), ...event]); // [n, 1.., ...event]: n on batch dim `dim`
    msg.enumDim = dim;
    msg.done = true;
  }
}
