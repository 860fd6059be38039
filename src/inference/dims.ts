/**
 * The batch dimensions of one execution, handed out by one allocator (Pyro's _DimAllocator and
 * _EnumAllocator, pyro/poutine/runtime.py, merged into one explicit object per run instead of
 * two globals).
 *
 * A dim is a negative number counted from the right of the batch shape, as in Pyro: -1 is the
 * rightmost batch axis, the one next to the event axes. Every value is [...batch, ...event] and
 * only the batch part is counted, so a dim names the same axis whatever a value's event rank.
 *
 *  - Plates take dims from the right: a plate gets the dim asked for, or the rightmost free one.
 *    The data plate is -1 and the particle plate -2, so the plates cover [K, B]
 *    (src/inference/handlers/plate.ts).
 *  - Enumeration takes dims left of every plate dim: the rightmost free dim at or left of
 *    `firstEnumDim` (-3 under [K, B]). The first enumerated site sits next to the plates, the
 *    next one left of it, so values broadcast to [n_2, n_1, K, B].
 *  - `release(dim)` frees an enumeration dim, and the next `allocateEnum` takes the rightmost
 *    free dim again. A Markov context (forward-algorithm elimination across time) allocates the
 *    state of step t, sums out step t-1 and releases its dim, so a chain of any length needs two
 *    enumeration dims instead of one per step.
 *
 * Plates are allocated before any enumeration: a plate allocated while an enumeration dim is
 * live could land left of it, and enumeration axes must stay left of every plate axis.
 *
 * @example
 *   const dims = new DimAllocator();
 *   dims.allocatePlate('data', 100);     // { name: 'data', size: 100, dim: -1 }
 *   dims.allocatePlate('particles', 5);  // { name: 'particles', size: 5, dim: -2 }
 *   dims.allocateEnum('y');              // -3
 *   dims.allocateEnum('z[0]');           // -4
 *   dims.release(-3);
 *   dims.allocateEnum('z[1]');           // -3 (reused)
 */

/** One plate a site sits in (Pyro's CondIndepStackFrame): its name, size and batch dim (negative). */
export interface CondIndepFrame {
  readonly name: string;
  readonly size: number;
  readonly dim: number;
}

/**
 * The most enumeration dims live at once. Each adds an axis left of the plates; past three,
 * values reach 6-7 axes, beyond what the wasm backend computes correctly (src/inference/plan.ts,
 * MAX_ENUMERATED_SITES, which bounds the sites enumerated without reuse).
 */
export const MAX_ENUM_DIMS = 3;

export class DimAllocator {
  private readonly plateFrames = new Map<string, CondIndepFrame>();
  /** Enumeration dims in use: dim -> the key of the site that holds it. */
  private readonly enumHolders = new Map<number, string>();
  private readonly enumDims = new Map<string, number>();
  /** The largest number of enumeration axes ever live at once (the widest value's E part). */
  private enumWidth = 0;

  constructor(readonly maxEnumDims = MAX_ENUM_DIMS) {}

  /** Allocates the plate `name` at `dim`, or at the rightmost dim no plate holds. */
  allocatePlate(name: string, size: number, dim?: number): CondIndepFrame {
    if (this.plateFrames.has(name)) throw new Error(`plate '${name}' is already allocated`);
    if (this.enumHolders.size > 0) throw new Error(`plate '${name}' allocated while enumeration dims are live: plates come first`);
    if (!Number.isInteger(size) || size < 1) throw new Error(`plate '${name}' has size ${size}: a plate's size is a whole number >= 1`);
    const taken = new Set([...this.plateFrames.values()].map((f) => f.dim));
    let d = dim ?? -1;
    if (dim === undefined) while (taken.has(d)) d--;
    else if (!Number.isInteger(dim) || dim >= 0) throw new Error(`plate '${name}' asks for dim ${dim}: plate dims count from the right, -1, -2, ...`);
    else if (taken.has(dim)) throw new Error(`plate '${name}' asks for dim ${dim}, which plate '${this.plateAt(dim)!.name}' holds`);
    const frame: CondIndepFrame = { name, size, dim: d };
    this.plateFrames.set(name, frame);
    return frame;
  }

  /** Frees the plate `name`'s dim (leaving its scope). */
  releasePlate(name: string): void {
    if (!this.plateFrames.delete(name)) throw new Error(`plate '${name}' is not allocated`);
  }

  /** The plate frames, leftmost (outermost) first: e.g. particles (-2), then data (-1). */
  frames(): CondIndepFrame[] {
    return [...this.plateFrames.values()].sort((a, b) => a.dim - b.dim);
  }

  /** The number of batch axes the plates span: the leftmost plate dim, negated (0 without plates). */
  get plateRank(): number {
    let r = 0;
    for (const f of this.plateFrames.values()) r = Math.max(r, -f.dim);
    return r;
  }

  /** The rightmost dim enumeration may take: left of every plate dim. */
  get firstEnumDim(): number {
    return -(this.plateRank + 1);
  }

  /**
   * Allocates an enumeration dim for `key` (a site's name, e.g. `y` or `z[3]`): the rightmost
   * free dim at or left of `firstEnumDim`. Throws when `key` already holds a dim or when
   * `maxEnumDims` dims are live.
   */
  allocateEnum(key: string): number {
    if (this.enumDims.has(key)) throw new Error(`site '${key}' already holds enumeration dim ${this.enumDims.get(key)}`);
    if (this.enumHolders.size >= this.maxEnumDims) {
      throw new Error(`cannot enumerate '${key}': ${this.maxEnumDims} enumeration dims are live (${[...this.enumDims.keys()].join(', ')}); release one first`);
    }
    let d = this.firstEnumDim;
    while (this.enumHolders.has(d)) d--;
    this.enumHolders.set(d, key);
    this.enumDims.set(key, d);
    this.enumWidth = Math.max(this.enumWidth, this.firstEnumDim - d + 1);
    return d;
  }

  /** Frees an enumeration dim for reuse (its site's values must no longer be combined with new ones). */
  release(dim: number): void {
    const key = this.enumHolders.get(dim);
    if (key === undefined) throw new Error(`enumeration dim ${dim} is not allocated`);
    this.enumHolders.delete(dim);
    this.enumDims.delete(key);
  }

  /** The enumeration dim `key` holds, or undefined. */
  enumDim(key: string): number | undefined {
    return this.enumDims.get(key);
  }

  /** The number of enumeration dims live now. */
  get liveEnumDims(): number {
    return this.enumHolders.size;
  }

  /** The most enumeration axes any value of this run can carry left of the plates. */
  get enumRank(): number {
    return this.enumWidth;
  }

  private plateAt(dim: number): CondIndepFrame | undefined {
    return [...this.plateFrames.values()].find((f) => f.dim === dim);
  }
}
