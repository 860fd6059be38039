/**
 * Random well-typed programs for the planner's property tests: one to three latent sites (the
 * "layers"), each a (guide family, model family) pair with a closed-form KL, a random model
 * order and a random guide order, and random dependencies in both (each site may read any site
 * drawn before it in its block; the guide always reads the data x, and x reads at least one
 * latent). Distribution parameters are fixed affine functions of bounded features of the
 * parents (tanh of reals, tanh(log) of positives, one-hot of labels), so there is nothing to
 * initialize and every program is its own reference.
 */

/** A small deterministic generator (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'Real' | 'Positive' | 'Unit' | 'Binary' | 'Category';

interface Pair {
  readonly guide: string;
  readonly model: string;
  readonly kind: Kind;
}

/** Pairs of the analytic-KL registry whose families the generator can parameterize. */
export const PAIRS: readonly Pair[] = [
  { guide: 'Normal', model: 'Normal', kind: 'Real' },
  { guide: 'Normal', model: 'Laplace', kind: 'Real' },
  { guide: 'Laplace', model: 'Laplace', kind: 'Real' },
  { guide: 'LogNormal', model: 'LogNormal', kind: 'Positive' },
  { guide: 'Exponential', model: 'Exponential', kind: 'Positive' },
  { guide: 'Exponential', model: 'Gamma', kind: 'Positive' },
  { guide: 'Gamma', model: 'Gamma', kind: 'Positive' },
  { guide: 'Beta', model: 'Beta', kind: 'Unit' },
  { guide: 'Categorical', model: 'Categorical', kind: 'Category' },
  { guide: 'Bernoulli', model: 'Bernoulli', kind: 'Binary' },
];

/** The event size of every site (and the class count of labels). */
export const D = 3;

export interface RandomProgram {
  readonly source: string;
  readonly latents: readonly { readonly name: string; readonly pair: Pair }[];
  /** Model parents and guide parents of each latent (for reporting). */
  readonly modelParents: ReadonlyMap<string, readonly string[]>;
  readonly guideParents: ReadonlyMap<string, readonly string[]>;
}

function feature(name: string, kind: Kind): string {
  switch (kind) {
    case 'Real':
      return `tanh(${name})`;
    case 'Positive':
      return `tanh(log(${name}))`;
    case 'Category':
      return `onehot(${name})`;
    default:
      return name;
  }
}

function dist(family: string, h1: string, h2: string): string {
  switch (family) {
    case 'Normal':
    case 'Laplace':
      return `${family}(${h1}, softplus(${h2}) + 0.3)`;
    case 'LogNormal':
      return `LogNormal(0.5 * (${h1}), 0.5 * softplus(${h2}) + 0.1)`;
    case 'Exponential':
      return `Exponential(softplus(${h1}) + 0.3)`;
    case 'Gamma':
    case 'Beta':
      return `${family}(softplus(${h1}) + 0.6, softplus(${h2}) + 0.6)`;
    case 'Categorical':
    case 'Bernoulli':
      return `${family}(logits: ${h1})`;
    default:
      throw new Error(`no parameterization for ${family}`);
  }
}

function typeOf(kind: Kind): string {
  return kind === 'Category' ? `Category[${D}]` : `${kind}[${D}]`;
}

export function randomProgram(seed: number, layers?: number): RandomProgram {
  const u = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)]!;
  const coef = (): string => {
    const c = (0.6 + 1.4 * u()) * (u() < 0.5 ? -1 : 1);
    return c.toFixed(2);
  };
  /** An affine function of the features: `b + c1 * f1 + ...` (a Real[D] when it has terms). */
  const affine = (terms: readonly string[]): string => {
    const b = ((u() - 0.5) * 1.5).toFixed(2);
    const body = terms.map((t) => `${coef()} * ${t}`);
    if (body.length === 0) return `zeros(${D}) + ${b}`;
    return `${b} + ${body.join(' + ')}`.replace(/\+ -/g, '- ');
  };
  const n = layers ?? 1 + Math.floor(u() * 3);
  const latents = Array.from({ length: n }, (_, i) => ({ name: `z${i + 1}`, pair: pick(PAIRS) }));
  const kind = new Map(latents.map((l) => [l.name, l.pair.kind]));
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const modelOrder = shuffle(latents);
  // Half the guides are bottom-up (the model's order reversed, as Burda et al.'s), half random.
  const guideOrder = u() < 0.5 ? [...modelOrder].reverse() : shuffle(latents);
  const modelParents = new Map<string, string[]>();
  const guideParents = new Map<string, string[]>();
  const model: string[] = [];
  modelOrder.forEach((l, i) => {
    const ps = modelOrder.slice(0, i).filter(() => u() < 0.7).map((p) => p.name);
    modelParents.set(l.name, ps);
    const f = ps.map((p) => feature(p, kind.get(p)!));
    model.push(`  ${l.name}: ${typeOf(l.pair.kind)} ~ ${dist(l.pair.model, affine(f), affine(f))}`);
  });
  const xParents = latents.filter(() => u() < 0.7).map((l) => l.name);
  if (xParents.length === 0) xParents.push(pick(latents).name);
  const fx = xParents.map((p) => feature(p, kind.get(p)!));
  model.push(`  x ~ Normal(${affine(fx)}, softplus(${affine(fx)}) + 0.5)`);
  const guide: string[] = [];
  guideOrder.forEach((l, i) => {
    const ps = guideOrder.slice(0, i).filter(() => u() < 0.7).map((p) => p.name);
    guideParents.set(l.name, ps);
    const f = ['tanh(x)', ...ps.map((p) => feature(p, kind.get(p)!))];
    // Discrete sites are enumerated by default; some are scored instead (their KL is then analytic).
    const score = (l.pair.kind === 'Category' || l.pair.kind === 'Binary') && u() < 0.35 ? ' @score' : '';
    guide.push(`  ${l.name} ~ ${dist(l.pair.guide, affine(f), affine(f))}${score}`);
  });
  const source = [`data x: Real[${D}]`, 'model {', ...model, '}', 'guide {', ...guide, '}', ''].join('\n');
  return { source, latents, modelParents, guideParents };
}
