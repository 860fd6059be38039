/**
 * `enumerate(dims)`: a guide site whose estimator rule draws `enumerate` takes its whole support
 * instead of a sample, on its own batch dim: the run's DimAllocator hands out dims left of every
 * plate dim (src/inference/dims.ts), so the first enumerated site gets values of shape
 * [n, 1, 1, ...event] (dim -3 under the plates [K, B]), the next [n, 1, 1, 1, ...event], and
 * downstream computations broadcast to [..., n_2, n_1, K, B] (vectorized, as Pyro's parallel
 * enumeration).
 *
 * The steps of a Markov chain (src/inference/markov.ts) recycle dims (Pyro's `markov`): before
 * step i takes a dim, the dim of step i − 2 is released, which no factor from step i on reads, so
 * step i reuses it and every value stays within two enumeration axes: position i sits on the
 * enumeration slot i mod 2 (dim firstEnumDim − i mod 2), the layout objectives/chain.ts reads.
 */
import { ruleOf } from '../estimators/index';
import type { DimAllocator } from '../dims';
import type { Handler, SampleMsg } from '../messages';

export class EnumerateHandler implements Handler {
  /** The number of sites enumerated in this run. */
  count = 0;
  private readonly chain: ReadonlyMap<string, number>;
  constructor(
    private readonly dims: DimAllocator,
    /** The chain's sites in step order (empty without a chain). */
    private readonly chainSites: readonly string[] = [],
  ) {
    this.chain = new Map(chainSites.map((s, i) => [s, i]));
  }

  process(msg: SampleMsg): void {
    if (msg.estimator === null || ruleOf(msg.estimator).draw !== 'enumerate' || msg.value !== null || !msg.dist.enumerateSupport) return;
    const support = msg.dist.enumerateSupport(); // [n, ...event]
    const n = support.shape[0]!;
    const event = support.shape.slice(1);
    const at = this.chain.get(msg.site.name);
    if (at !== undefined && at >= 2) this.dims.release(this.dims.enumDim(this.chainSites[at - 2]!)!);
    const dim = this.dims.allocateEnum(msg.site.name);
    if (at !== undefined && dim !== this.dims.firstEnumDim - (at % 2)) throw new Error(`chain step '${msg.site.name}' got dim ${dim}, not slot ${at % 2}`);
    this.count++;
    msg.value = support.reshape([n, ...new Array<number>(-dim - 1).fill(1), ...event]); // [n, 1.., ...event]: n on batch dim `dim`
    msg.enumDim = dim;
    msg.done = true;
  }
}
