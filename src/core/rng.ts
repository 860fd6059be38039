/**
 * An explicit, splittable random-number source (no global RNG anywhere in vaelang).
 *
 * tfjs random ops take a per-op integer seed, so randomness is derived, never drawn from
 * hidden state: `rng.fold(step).fold(site).seed()` always gives the same integer for the
 * same path. This is the counter-based design of JAX/NumPyro keys, with a 64-bit key kept
 * as two uint32 words and mixed by a murmur3-style finalizer.
 */

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private constructor(readonly hi: number, readonly lo: number) {}

  /** A root key from a user seed (any finite number). */
  static fromSeed(seed: number): Rng {
    const s = Math.floor(Math.abs(seed)) >>> 0;
    const hi = Math.floor(Math.abs(seed) / 2 ** 32) >>> 0;
    return new Rng(mix32(hi ^ 0x9e3779b9), mix32(s ^ 0x7f4a7c15));
  }

  /** Restores a key saved with {@link Rng.state}. */
  static fromState(state: readonly [number, number]): Rng {
    return new Rng(state[0] >>> 0, state[1] >>> 0);
  }

  /** A child key for `n`: distinct `n` give independent streams. */
  fold(n: number): Rng {
    const x = Math.floor(n) >>> 0;
    const hi = mix32(this.hi ^ mix32(x + 0x632be5ab));
    const lo = mix32(this.lo ^ mix32(hi + x + 0x85157af5));
    return new Rng(hi, lo);
  }

  /** Folds a string in (site names in tests and tools; the runtime folds numeric ids). */
  foldName(name: string): Rng {
    let h = 2166136261;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    return this.fold(h >>> 0);
  }

  /**
   * An integer seed for one tfjs random op, in [1, 2^31). Never 0: tf.randomNormal treats a
   * falsy seed as "unseeded" and draws from Math.random (tfjs-core rand_util MPRandGauss).
   */
  seed(): number {
    return (mix32(this.hi ^ Math.imul(this.lo, 0x27d4eb2f)) & 0x7fffffff) || 1;
  }

  /**
   * A JS-side uniform stream in [0, 1): sfc32 (Doty-Humphrey's small fast counting generator,
   * which passes PractRand), keyed by this Rng, warmed up by 15 draws.
   */
  uniforms(): () => number {
    let a = this.hi | 0;
    let b = this.lo | 0;
    let c = this.seed() | 0;
    let d = 1;
    const next = (): number => {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    for (let i = 0; i < 15; i++) next();
    return next;
  }

  /** The key as plain numbers, for checkpoints. */
  state(): [number, number] {
    return [this.hi, this.lo];
  }
}
