/**
 * VAE3xx, types and shapes: the problems as data and their one renderer. Types are carried as
 * `TypeData` (value kind, shape, classes), shapes as number arrays.
 */
import { formatNumber, formatShape, formatTensorType, type TensorType } from '../types';
import { rendered, type Rendered } from './rendered';

/** A tensor type as data: `Real[3]` is `{ vk: 'Real', shape: [3] }`. */
export interface TypeData {
  readonly vk: string;
  readonly shape: readonly number[];
  readonly classes?: number;
}

/** The data of a tensor type (without a compile-time value). */
export function typeData(t: TensorType): TypeData {
  return t.classes !== undefined ? { vk: t.vk, shape: [...t.shape], classes: t.classes } : { vk: t.vk, shape: [...t.shape] };
}

function showType(t: TypeData): string {
  return formatTensorType({ kind: 'tensor', ...t } as TensorType);
}

const code = (names: readonly string[], sep = ', '): string => names.map((n) => `\`${n}\``).join(sep);
const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

export type ShapeProblem =
  /**
   * VAE301: a site's distribution has another shape than the site is declared with. `image`: the
   * site is data declared flat, and the net gives it as this image shape (declare the data so).
   */
  | {
      readonly kind: 'shape-mismatch';
      readonly site: string;
      readonly family: string;
      readonly expected: readonly number[];
      readonly found: readonly number[];
      readonly declared: TypeData;
      readonly image?: readonly number[];
    }
  // Distribution arguments (check-dist.ts), VAE305.
  | { readonly kind: 'too-many-arguments'; readonly family: string; readonly max: number; readonly found: number; readonly params: readonly string[] }
  | { readonly kind: 'argument-needs-name'; readonly family: string; readonly group: readonly string[] }
  /** `suggestion`: the parameter meant (a torch/NumPy alias or a near spelling). */
  | { readonly kind: 'unknown-parameter'; readonly family: string; readonly found: string; readonly params: readonly string[]; readonly suggestion?: string }
  | { readonly kind: 'parameter-given-twice'; readonly family: string; readonly param: string; readonly params: readonly string[] }
  | { readonly kind: 'parameter-choice-missing'; readonly family: string; readonly group: readonly string[] }
  | { readonly kind: 'parameter-choice-twice'; readonly family: string; readonly group: readonly string[]; readonly extra: string }
  /** `example`: the arguments of a full call, by keyword when the family has a choice of parametrizations. */
  | { readonly kind: 'missing-parameter'; readonly family: string; readonly param: string; readonly example: readonly string[]; readonly keywords: boolean }
  // Distribution parameters (check-dist.ts), VAE301, VAE302, VAE306.
  /** `own`: the parameter's own trailing axes; `vectorFamily`: the family draws vectors. */
  | { readonly kind: 'parameter-too-few-axes'; readonly family: string; readonly param: string; readonly least: number; readonly found: readonly number[]; readonly own: number; readonly vectorFamily: boolean }
  | { readonly kind: 'parameters-do-not-broadcast'; readonly family: string; readonly param: string; readonly found: readonly number[]; readonly with: readonly number[]; readonly vectorFamily: boolean }
  | { readonly kind: 'cholesky-does-not-fit'; readonly family: string; readonly param: string; readonly found: TypeData; readonly length: number }
  | { readonly kind: 'class-parameter-scalar'; readonly family: string; readonly param: string }
  | { readonly kind: 'mixture-weights-not-vector'; readonly found: readonly number[] }
  | { readonly kind: 'mixture-components-mismatch'; readonly expected: number; readonly found: readonly number[] }
  | { readonly kind: 'mixture-do-not-broadcast'; readonly locs: readonly number[]; readonly scales: readonly number[] }
  | { readonly kind: 'parameter-is-class-index'; readonly family: string; readonly param: string; readonly constraint: string }
  /** `value`: the compile-time value found; `alternative`: the logits-form sibling of a Unit parameter. */
  | {
      readonly kind: 'parameter-outside-constraint';
      readonly family: string;
      readonly param: string;
      readonly constraint: string;
      readonly found: TypeData;
      readonly value?: number;
      readonly alternative?: string;
    }
  | { readonly kind: 'vector-family-scalar-arguments'; readonly family: string; readonly found: readonly number[]; readonly param: string; readonly constraint: string }
  // Sites of the model and guide blocks (check-blocks.ts).
  /** VAE307: `observed`: the site is data (its type must lie in the support), else drawn (the support in its type). */
  | { readonly kind: 'support-mismatch'; readonly site: string; readonly family: string; readonly support: string; readonly declared: TypeData; readonly observed: boolean }
  /** VAE301: a Categorical site is one label, but the distribution draws several. */
  | { readonly kind: 'labels-not-one'; readonly site: string; readonly family: string; readonly found: readonly number[] }
  /** VAE314: `declaredWith`: the count is the site's declared `Category[k]`, else its one-hot axis. */
  | { readonly kind: 'class-count-mismatch'; readonly site: string; readonly family: string; readonly expected: number; readonly found: number; readonly where: 'declared-with' | 'declared-axis' | 'axis' }
  /** VAE333 */
  | { readonly kind: 'data-without-time-axis'; readonly data: string; readonly found: TypeData }
  /** VAE334 */
  | { readonly kind: 'observed-step-out-of-range'; readonly site: string; readonly step: number; readonly data: string; readonly steps: number }
  /** VAE311 */
  | { readonly kind: 'let-binds-distribution'; readonly name: string; readonly family: string }
  /** VAE333 */
  | { readonly kind: 'partial-data-stepped'; readonly data: string }
  /** VAE301: `step`: the site is one step of the data. */
  | { readonly kind: 'site-type-differs-from-data'; readonly site: string; readonly declared: TypeData; readonly data: TypeData; readonly step: boolean }
  /** VAE315: `found` null for a value that is not a tensor; `data`: the value kind of the data the site observes. */
  | { readonly kind: 'site-not-distribution'; readonly site: string; readonly found: TypeData | null; readonly data?: string };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const SHAPE_KINDS: Record<ShapeProblem['kind'], true> = {
  'shape-mismatch': true,
  'too-many-arguments': true,
  'argument-needs-name': true,
  'unknown-parameter': true,
  'parameter-given-twice': true,
  'parameter-choice-missing': true,
  'parameter-choice-twice': true,
  'missing-parameter': true,
  'parameter-too-few-axes': true,
  'parameters-do-not-broadcast': true,
  'cholesky-does-not-fit': true,
  'class-parameter-scalar': true,
  'mixture-weights-not-vector': true,
  'mixture-components-mismatch': true,
  'mixture-do-not-broadcast': true,
  'parameter-is-class-index': true,
  'parameter-outside-constraint': true,
  'vector-family-scalar-arguments': true,
  'support-mismatch': true,
  'labels-not-one': true,
  'class-count-mismatch': true,
  'data-without-time-axis': true,
  'observed-step-out-of-range': true,
  'let-binds-distribution': true,
  'partial-data-stepped': true,
  'site-type-differs-from-data': true,
  'site-not-distribution': true,
};

function supportHint(support: string, spec: string, found: TypeData, observed: boolean): string | undefined {
  if (spec === 'Bernoulli' && observed) return 'for values in [0, 1] use `ContinuousBernoulli`; or binarize the data (`binarize: dynamic` in the train block) and declare it Binary';
  if (support === 'Category') return 'a Categorical site holds a class index: declare it `Category[k]`';
  if (found.vk === 'Category') return 'class labels need a discrete distribution: `Categorical(logits: ...)` or `Categorical(probs: ...)`';
  if (support === 'Positive' && observed) return `${spec} needs positive values; use \`Normal\` or \`Laplace\` for real-valued data`;
  if (support === 'Unit' && observed) return `${spec} needs values in [0, 1]; rescale the data or use a distribution on the reals`;
  if (support === 'Count' && observed) return `${spec} models counts: declare the data \`Count${found.shape.length ? formatShape(found.shape) : ''}\` (whole numbers >= 0), or use a distribution on the reals`;
  if (support === 'Simplex' && observed) return `${spec} models probability vectors: declare the data \`Simplex${found.shape.length ? formatShape(found.shape) : ''}\` (rows >= 0 that sum to 1)`;
  if (!observed && found.vk === 'Positive') return `${spec} puts mass on values that are not positive; use \`LogNormal\` or \`Gamma\`, or declare the site Real`;
  if (!observed) return `declare the site as ${support}${found.shape.length ? formatShape(found.shape) : ''}, or choose a distribution whose support fits ${showType(found)}`;
  return undefined;
}

/** How to satisfy a parameter's constraint when a non-literal value does not. */
function constraintHint(param: string, constraint: string, alternative: string | undefined): string | undefined {
  switch (constraint) {
    case 'Positive':
      return `\`${param}\` must be positive: use a \`Positive\` net output, or wrap the expression in \`softplus(...)\` or \`exp(...)\``;
    case 'Unit':
      return alternative !== undefined ? `pass \`${alternative}:\` instead (any real values), or squash with \`sigmoid(...)\`` : `\`${param}\` must lie in [0, 1]: use a \`Unit\` net output or \`sigmoid(...)\``;
    case 'Simplex':
      return 'pass `logits:` instead (any real values), or normalize with `softmax(...)` or a `Simplex` net output';
    case 'LowerCholesky':
      return `\`${param}\` must be lower-triangular with a positive diagonal: wrap a square matrix in \`lower_cholesky(...)\`, or use \`diag(s)\` or \`eye(d)\``;
    case 'Count':
      return `\`${param}\` counts draws: use a whole number or a \`Count\` data site`;
    default:
      return undefined;
  }
}

/** How to fix a literal outside its parameter's constraint. */
function literalHint(param: string, constraint: string): string | undefined {
  return constraint === 'Positive' ? `\`${param}\` must be greater than 0, e.g. \`1\`` : constraint === 'Unit' ? `\`${param}\` must lie in [0, 1], e.g. \`0.5\`` : constraint === 'Count' ? `\`${param}\` must be a whole number >= 0, e.g. \`100\`` : undefined;
}

export function renderShapes(p: ShapeProblem): Rendered {
  switch (p.kind) {
    case 'shape-mismatch':
      return rendered(
        `shape mismatch for \`${p.site}\`: \`${p.family}(...)\` has shape ${formatShape(p.found)} but \`${p.site}\` is ${showType(p.declared)}`,
        p.image
          ? `declare the data with the image shape the net gives, \`data ${p.site}: ${p.declared.vk}${formatShape(p.image)}\` (the same values: data files may hold them flat)`
          : p.found.length > 0
            ? `make the parameters ${formatShape(p.expected)}, e.g. change the net's output size`
            : undefined,
      );
    case 'too-many-arguments':
      return rendered(`\`${p.family}\` takes at most ${p.max} ${plural(p.max, 'argument')}, found ${p.found}`, `its parameters are: ${p.params.join(', ')}`);
    case 'argument-needs-name':
      return rendered(`this argument of \`${p.family}\` needs a name`, `\`${p.family}\` takes ${p.group.map((g) => `\`${g}:\``).join(' or ')}; write e.g. \`${p.family}(${p.group[0]}: ...)\``);
    case 'unknown-parameter':
      return rendered(`\`${p.family}\` has no parameter \`${p.found}\``, p.suggestion !== undefined ? `did you mean \`${p.suggestion}\`?` : `\`${p.family}\` takes ${code(p.params)}`);
    case 'parameter-given-twice':
      return rendered(`\`${p.param}\` is given twice`, `remove one of them; \`${p.family}\` takes ${code(p.params)}`);
    case 'parameter-choice-missing':
      return rendered(`\`${p.family}\` needs ${code(p.group, ' or ')}`, `for example \`${p.family}(${p.group[0]}: ...)\``);
    case 'parameter-choice-twice':
      return rendered(`\`${p.family}\` takes only one of ${code(p.group)}`, `remove \`${p.extra}:\``);
    case 'missing-parameter':
      return rendered(`\`${p.family}\` needs \`${p.param}\``, `write \`${p.family}(${p.example.map((n) => (p.keywords ? `${n}: ...` : n)).join(', ')})\``);
    case 'parameter-too-few-axes':
      return rendered(
        `\`${p.param}\` of \`${p.family}\` needs at least ${p.least} ${plural(p.least, 'axis', 'axes')}, found shape ${formatShape(p.found)}`,
        p.vectorFamily
          ? `\`${p.param}\` is one matrix per vector: [d, ${p.param === 'scale_tril' ? 'd' : 'r'}] for vectors of length d, e.g. \`zeros(d, 2)\` or a \`param\` Real[d, 2]`
          : `its last ${p.own === 1 ? 'axis is' : `${p.own} axes are`} the parameter's own; the axes before broadcast to the site shape`,
      );
    case 'parameters-do-not-broadcast':
      return rendered(
        `\`${p.param}\` has shape ${formatShape(p.found)}, which does not broadcast with ${formatShape(p.with)}`,
        p.vectorFamily
          ? `the parameters of \`${p.family}\` must fit one vector length: a matrix parameter's last axis is its own, the axes before it broadcast with the others`
          : 'the parameters of an elementwise distribution must broadcast to one shape: sizes are compared from the right and must be equal or 1',
      );
    case 'cholesky-does-not-fit':
      return rendered(`\`${p.param}\` of \`${p.family}\` is ${showType(p.found)}, which does not fit vectors of length ${p.length}`, `make it [${p.length}, ${p.length}], one row and one column per entry of the vector`);
    case 'class-parameter-scalar':
      return rendered(
        `\`${p.param}\` of \`${p.family}\` must be a vector over the classes, found a scalar`,
        p.param === 'logits' ? 'use a vector with one entry per class, e.g. a net output `Real[10]` or `zeros(10)`' : 'use a vector with one entry per class, e.g. a net output `Simplex[10]` or `uniform(10)`',
      );
    case 'mixture-weights-not-vector':
      return rendered(`mixture weights must be a vector over the components, found shape ${formatShape(p.found)}`, 'pass one weight per component, e.g. `uniform(3)` or a net output `Simplex[3]`');
    case 'mixture-components-mismatch':
      return rendered(`expected ${p.expected} components (the length of the weights), found shape ${formatShape(p.found)}`, `the first axis of locs and scales counts components: [${p.expected}, ...]`);
    case 'mixture-do-not-broadcast':
      return rendered(`locs ${formatShape(p.locs)} and scales ${formatShape(p.scales)} do not broadcast`, 'after the component axis, locs and scales must broadcast to one shape');
    case 'parameter-is-class-index':
      return rendered(`\`${p.param}\` of \`${p.family}\` must be ${p.constraint}, found a class index`, 'use `onehot(y)` to turn a class index into numbers');
    case 'parameter-outside-constraint':
      return rendered(
        `\`${p.param}\` of \`${p.family}\` must be ${p.constraint}, found ${p.value !== undefined ? formatNumber(p.value) : showType(p.found)}`,
        (p.value !== undefined ? literalHint(p.param, p.constraint) : undefined) ?? constraintHint(p.param, p.constraint, p.alternative),
      );
    case 'vector-family-scalar-arguments':
      return rendered(
        `\`${p.family}\` draws vectors, but its arguments give ${p.found.length === 0 ? 'a scalar' : `shape ${formatShape(p.found)}`}`,
        `give \`${p.param}\` a last axis, one entry per component: e.g. \`0.5 * ones(10)\` for a constant, or a net output \`${p.constraint}[10]\``,
      );
    case 'support-mismatch':
      return rendered(
        p.observed ? `\`${p.site}\` is ${showType(p.declared)} but \`${p.family}\` is a distribution over ${p.support} values` : `\`${p.family}\` draws ${p.support} values but \`${p.site}\` is declared ${showType(p.declared)}`,
        supportHint(p.support, p.family, p.declared, p.observed),
      );
    case 'labels-not-one':
      return rendered(`\`${p.family}\` here draws labels of shape ${formatShape(p.found)}, but \`${p.site}\` is one label`, 'give the class probabilities exactly one axis, e.g. a net output `Simplex[k]`');
    case 'class-count-mismatch':
      return rendered(
        p.where === 'axis' ? `\`${p.family}\` has ${p.found} classes but \`${p.site}\` has ${p.expected}` : `\`${p.family}\` here has ${p.found} classes but \`${p.site}\` is declared with ${p.expected}`,
        `make the probabilities a vector of ${p.expected}`,
      );
    case 'data-without-time-axis':
      return rendered(`\`${p.data}\` is observed step by step, but the data is ${showType(p.found)}, which has no time axis`, `declare the steps first: \`data ${p.data}: ${p.found.vk}[T, ...]\``);
    case 'observed-step-out-of-range':
      return rendered(`\`${p.site}\` observes step ${p.step}, but the data \`${p.data}\` has ${p.steps} steps (0 to ${p.steps - 1}): the sequence is longer than the data`, `end the loop at the data's length, e.g. \`for t in 0..${p.steps}\``);
    case 'let-binds-distribution':
      return rendered('a distribution cannot be bound with `let`', `sample it instead: \`${p.name} ~ ${p.family}(...)\``);
    case 'partial-data-stepped':
      return rendered(`\`${p.data}\` is partly observed; it cannot be observed step by step`, 'declare the data without `?`');
    case 'site-type-differs-from-data':
      return rendered(`\`${p.site}\` is declared ${showType(p.declared)} here but ${showType(p.data)} as data${p.step ? ' (one step)' : ''}`, 'drop the type here: a data site takes its type from the data declaration');
    case 'site-not-distribution': {
      const likelihood = p.data === 'Binary' ? 'Bernoulli(logits: ...)' : p.data === 'Category' ? 'Categorical(logits: ...)' : 'Normal(..., 1)';
      return rendered(
        `expected a distribution after \`~\`, found ${p.found ? showType(p.found) : 'a value'}`,
        p.data !== undefined ? `an observed site needs a likelihood around the value, e.g. \`${p.site} ~ ${likelihood}\`` : `for a deterministic value write \`let ${p.site} = ...\`; for a random one \`${p.site} ~ Normal(...)\``,
      );
    }
  }
}
