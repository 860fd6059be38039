/**
 * VAE3xx, types and shapes: the problems as data and their one renderer. Types are carried as
 * `TypeData` (value kind, shape, classes), shapes as number arrays.
 */
import { formatLayerShape } from '../layers';
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

/** The hint when an elementwise built-in is not defined for every value of its argument's kind. */
const DOMAIN_HINTS: Readonly<Record<string, string>> = {
  log: 'log needs positive values: apply it to a Positive expression, e.g. `log(softplus(h))`',
  sqrt: 'sqrt needs non-negative values: apply it to a Positive or Unit expression',
  softmax: 'softmax needs a vector',
  log1p: 'log1p needs non-negative values: apply it to Count, Positive or Unit values',
};

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
  | { readonly kind: 'site-not-distribution'; readonly site: string; readonly found: TypeData | null; readonly data?: string }
  // Declarations: const, data, param, net (check-decls.ts).
  /** VAE308: `value` is NaN or infinite. */
  | { readonly kind: 'const-not-finite'; readonly name: string; readonly value: number }
  /** VAE308 */
  | { readonly kind: 'const-not-compile-time'; readonly name: string }
  /** VAE309 */
  | { readonly kind: 'data-cannot-be-partial'; readonly data: string; readonly type: TypeData }
  /** VAE309 */
  | { readonly kind: 'sequence-without-time-axis'; readonly data: string; readonly type: TypeData }
  /** VAE309 */
  | { readonly kind: 'sequence-bound-not-const' }
  /** VAE309: a net over sequences of up to `bound` steps that would read the padding. */
  | { readonly kind: 'net-reads-padding'; readonly net: string; readonly bound: string }
  /** VAE305: `params`: the initializer family's two parameters. */
  | { readonly kind: 'initializer-arguments'; readonly family: string; readonly params: readonly string[]; readonly missing: boolean }
  /** VAE308 */
  | { readonly kind: 'initializer-not-compile-time'; readonly family: string }
  /** VAE306: Normal draws may fall outside a Positive or Unit param. */
  | { readonly kind: 'initializer-normal-outside'; readonly constraint: string }
  /** VAE306 */
  | { readonly kind: 'initializer-scale-not-positive'; readonly found: number }
  /** VAE306: a Uniform initializer's range outside the param's constraint. */
  | { readonly kind: 'initializer-range-outside'; readonly constraint: string; readonly low: number; readonly high: number }
  /** VAE309 */
  | { readonly kind: 'param-kind-not-continuous'; readonly found: TypeData }
  /** VAE308 */
  | { readonly kind: 'param-init-not-compile-time' }
  /** VAE306 */
  | { readonly kind: 'param-init-outside'; readonly constraint: string; readonly value: number }
  /** VAE313 */
  | { readonly kind: 'net-input-class-index'; readonly classes: number | null }
  /** VAE313 */
  | { readonly kind: 'net-output-kind'; readonly found: TypeData }
  // Types and values (check-types.ts, check-context.ts).
  /** VAE308: a const used as a size that is not a positive integer. */
  | { readonly kind: 'size-const-not-positive-integer'; readonly name: string; readonly value: number }
  /** VAE308: a name that is declared but not a compile-time number, used as a size. */
  | { readonly kind: 'size-not-compile-time'; readonly name: string }
  /** VAE308: `value` null when the size is not known at compile time. */
  | { readonly kind: 'size-not-positive-integer'; readonly value: number | null }
  /** VAE309 */
  | { readonly kind: 'sequence-type-outside-data' }
  /** VAE309 */
  | { readonly kind: 'category-size-count'; readonly found: number }
  /** VAE309 */
  | { readonly kind: 'class-kind-without-size'; readonly vk: string }
  /** VAE312: a record of several outputs where a tensor is needed; `fields`: its output names. */
  | { readonly kind: 'net-outputs-not-picked'; readonly net: string; readonly fields: readonly string[] }
  /** VAE311 */
  | { readonly kind: 'distribution-not-value'; readonly family: string }
  /** VAE312: `found` describes what is there instead of a tensor. */
  | { readonly kind: 'not-a-tensor'; readonly found: 'list' | 'string' | 'other'; readonly shown: string }
  /** VAE312: an expectation objective that is not a number per example. */
  | { readonly kind: 'objective-not-numeric'; readonly shown: string }
  // Flows, VampPrior and mixture priors (check-meta.ts).
  /** VAE308: `prior`: VampPrior's pseudo-inputs or MixtureNormal's components. */
  | { readonly kind: 'prior-count-not-positive'; readonly prior: 'VampPrior' | 'MixtureNormal' }
  /** VAE308 */
  | { readonly kind: 'flow-hidden-not-positive'; readonly layer: string }
  /** VAE305: `found` null for a positional argument; `allowed`: the layer's argument names. */
  | { readonly kind: 'flow-layer-argument'; readonly layer: string; readonly found: string | null; readonly allowed: readonly string[] }
  /** VAE305 */
  | { readonly kind: 'flow-layer-partly-amortized'; readonly layer: string; readonly allowed: readonly string[] }
  /** VAE316 */
  | { readonly kind: 'flow-layer-without-density'; readonly layer: string }
  /** VAE304 */
  | { readonly kind: 'iaf-context-not-vector'; readonly found: TypeData }
  /** VAE305: `what`: which call is malformed. */
  | { readonly kind: 'meta-call-arguments'; readonly call: 'Flow' | 'Flow-layers' | 'VampPrior' }
  /** VAE315: `found` null for a value that is not a tensor. */
  | { readonly kind: 'flow-base-not-distribution'; readonly found: TypeData | null }
  /** VAE304 */
  | { readonly kind: 'flow-base-not-real'; readonly family: string }
  /** VAE304 */
  | { readonly kind: 'vamp-net-not-gaussian'; readonly net: string }
  // Steps of sequences and loops (unroll.ts). `read`: the indexed site as written, `z[t - 1]`;
  // `where`: the loop step it is read at, `t = 0`.
  /** VAE333: `found` the index's value when it is known but not whole. */
  | { readonly kind: 'step-index-not-integer'; readonly site: string; readonly found: number | null }
  /** VAE334 */
  | { readonly kind: 'step-read-before-zero'; readonly read: string; readonly site: string; readonly step: number; readonly where: string }
  /** VAE335: `variable`: the innermost loop variable. */
  | { readonly kind: 'site-in-loop-without-step'; readonly site: string; readonly variable: string }
  /** VAE334: a site's step index before 0. */
  | { readonly kind: 'site-step-before-zero'; readonly read: string; readonly step: number; readonly where: string }
  /** VAE333: `inLoop`: the site is inside a `for` loop. */
  | { readonly kind: 'site-step-not-integer'; readonly site: string; readonly inLoop: boolean }
  /** VAE308: `found` the bound's value when it is known but not whole. */
  | { readonly kind: 'loop-bound-not-integer'; readonly found: number | null }
  /** VAE334 */
  | { readonly kind: 'loop-without-steps'; readonly from: number; readonly to: number }
  /** VAE334: a read of a step the sequence does not have; `steps`: the steps it has. */
  | { readonly kind: 'step-not-drawn'; readonly read: string; readonly site: string; readonly step: number; readonly where: string; readonly steps: readonly number[] }
  // Net bodies (check-net-body.ts). `argument`: the argument or size as the message names it.
  /** VAE308: `allowZero`: 0 is allowed (padding). */
  | { readonly kind: 'net-argument-not-positive'; readonly argument: string; readonly allowZero: boolean }
  /** VAE308: a size pair with another count of numbers. */
  | { readonly kind: 'net-argument-not-pair'; readonly argument: string; readonly found: number }
  /** VAE308 */
  | { readonly kind: 'net-argument-not-boolean'; readonly argument: string }
  /** VAE308 */
  | { readonly kind: 'hidden-widths-not-positive' }
  /** VAE332: input `input` (1-based) of a recurrent net is not [T, d]. */
  | { readonly kind: 'recurrent-input-not-sequence'; readonly net: string; readonly input: number; readonly found: TypeData }
  /** VAE332 */
  | { readonly kind: 'recurrent-inputs-steps-differ'; readonly net: string; readonly steps: readonly number[] }
  /** VAE332 */
  | { readonly kind: 'recurrent-outputs-mixed'; readonly net: string; readonly perStep: TypeData; readonly final: TypeData }
  /** VAE331: the last layer's image does not fit an output; `want`: the output type to declare; `fix`: a padding change that would fit. */
  | { readonly kind: 'net-output-image-mismatch'; readonly net: string; readonly output: string | null; readonly gives: readonly number[]; readonly declared: TypeData; readonly image: readonly number[] | null; readonly want: string; readonly fix?: string }
  /** VAE331 */
  | { readonly kind: 'net-output-channels'; readonly net: string; readonly channels: number; readonly needed: number }
  /** VAE331 */
  | { readonly kind: 'net-output-not-vector-or-image'; readonly net: string; readonly gives: readonly number[] }
  /** VAE330 */
  | { readonly kind: 'sequential-empty' }
  /** VAE330: a spatial first layer on a flat input. */
  | { readonly kind: 'layer-needs-image-input'; readonly net: string; readonly layer: string; readonly found: TypeData }
  /** VAE330: several inputs without a `flatten()` where they join the image. */
  | { readonly kind: 'inputs-without-flatten'; readonly net: string; readonly inputs: number }
  // One layer of a `sequential` stack and its size rule (check-net-body.ts), VAE330. `input`: the layer's input shape.
  | { readonly kind: 'layer-needs-image'; readonly layer: string; readonly net: string; readonly input: readonly number[] }
  /** `missing`: what the call lacks; `signature`: the layer's call form. */
  | { readonly kind: 'layer-missing-argument'; readonly layer: string; readonly missing: 'channels' | 'kernel' | 'units' | 'shape' | 'layers'; readonly signature: string }
  | { readonly kind: 'padding-same-on-deconv' }
  | { readonly kind: 'kernel-larger-than-input'; readonly net: string; readonly kernel: readonly number[]; readonly padded: readonly number[]; readonly input: readonly number[] }
  | { readonly kind: 'deconv-empty-output'; readonly net: string; readonly output: readonly number[]; readonly input: readonly number[] }
  | { readonly kind: 'output-padding-too-large'; readonly outputPadding: readonly number[]; readonly stride: readonly number[] }
  | { readonly kind: 'dense-needs-flat-input'; readonly net: string; readonly input: readonly number[] }
  | { readonly kind: 'window-larger-than-input'; readonly layer: string; readonly net: string; readonly window: readonly number[]; readonly input: readonly number[] }
  /** `afterDense`: the layer before the reshape is `dense` (whose units to change). */
  | { readonly kind: 'reshape-size-mismatch'; readonly net: string; readonly dims: readonly number[]; readonly input: readonly number[]; readonly afterDense: boolean }
  | { readonly kind: 'residual-changes-shape'; readonly input: readonly number[]; readonly output: readonly number[] }
  /** VAE317: the program's parameters do not fit the training memory; `largest`: the biggest owners. */
  | {
      readonly kind: 'too-many-parameters';
      readonly total: number;
      readonly bytesPerParameter: number;
      readonly limitBytes: number;
      readonly maxParameters: number;
      readonly largest: readonly { readonly name: string; readonly count: number }[];
    }
  /** VAE317: a site's batch does not fit one tensor. */
  | { readonly kind: 'site-too-large'; readonly site: string; readonly perExample: number; readonly batch: number; readonly maxElements: number }
  // Built-in functions (builtins.ts). `fn`: the built-in's name.
  /** VAE310: `signature`: how to call it, e.g. `exp(x)`. */
  | { readonly kind: 'builtin-named-argument'; readonly fn: string; readonly name: string; readonly signature: string }
  /** VAE310 */
  | { readonly kind: 'builtin-arity'; readonly fn: string; readonly expected: number; readonly found: number; readonly signature: string }
  /** VAE310: `shown`: what the argument is, as the message shows it; `record`: it is a net's named outputs. */
  | { readonly kind: 'builtin-not-tensor'; readonly fn: string; readonly shown: string; readonly record: boolean }
  /** VAE310 */
  | { readonly kind: 'builtin-not-square'; readonly fn: string; readonly found: TypeData }
  /** VAE310: an elementwise function of a class index. */
  | { readonly kind: 'elementwise-class-index'; readonly fn: string; readonly found: TypeData }
  /** VAE310: an elementwise function outside its domain (the hint is the function's, from the renderer). */
  | { readonly kind: 'elementwise-domain'; readonly fn: string; readonly found: TypeData }
  /** VAE310 */
  | { readonly kind: 'builtin-class-index'; readonly fn: 'sum' | 'concat' }
  /** VAE308: `zeros`, `ones` (dimensions), `uniform`, `eye` (one size) need sizes known at compile time. */
  | { readonly kind: 'builtin-size-not-const'; readonly fn: 'zeros' | 'ones' | 'uniform' | 'eye' }
  /** VAE310 */
  | { readonly kind: 'onehot-not-class-index'; readonly found: TypeData }
  /** VAE310 */
  | { readonly kind: 'sum-of-scalar' }
  /** VAE310 */
  | { readonly kind: 'diag-not-positive-vector'; readonly found: TypeData }
  /** VAE310 */
  | { readonly kind: 'concat-too-few' }
  /** VAE310 */
  | { readonly kind: 'concat-scalar' }
  /** VAE302: all axes but the last must broadcast. */
  | { readonly kind: 'concat-does-not-broadcast'; readonly first: TypeData; readonly found: TypeData }
  // Expressions (check-expr.ts).
  /** VAE312 */
  | { readonly kind: 'range-not-value' }
  /** VAE312, VAE311: a net, distribution or built-in named without calling it. */
  | { readonly kind: 'callable-not-value'; readonly name: string; readonly what: 'net' | 'distribution' | 'function' }
  /** VAE310: `operand`: the operand's name (null: not a name). */
  | { readonly kind: 'arithmetic-on-class-index'; readonly operand: string | null; readonly found: TypeData }
  /** VAE302 */
  | { readonly kind: 'operands-do-not-broadcast'; readonly left: readonly number[]; readonly right: readonly number[] }
  /** VAE312: `shown`: what the callee is, as the message shows it. */
  | { readonly kind: 'not-callable'; readonly shown: string }
  /** VAE312 */
  | { readonly kind: 'callee-not-name' }
  // Indexing (check-expr.ts). `target`: the indexed value as the message shows it (`\`mus\``).
  /** VAE333: `example`: the net (or name) to write before the field. */
  | { readonly kind: 'index-net-outputs'; readonly net: string; readonly example: string; readonly field: string }
  /** VAE333 */
  | { readonly kind: 'index-without-axis'; readonly target: string; readonly found: TypeData }
  /** VAE333 */
  | { readonly kind: 'index-not-one-label'; readonly found: TypeData }
  /** VAE334: `param`: the target is this param (whose declaration to change); `vk`/`rest`: its value kind and trailing axes. */
  | { readonly kind: 'index-classes-exceed'; readonly index: string; readonly target: string; readonly classes: number; readonly entries: number; readonly param: string | null; readonly vk: string; readonly rest: readonly number[] }
  /** VAE333 */
  | { readonly kind: 'index-not-whole'; readonly found: number; readonly entries: number }
  /** VAE334: a loop reads a step outside the data; `read`: the indexed value as written; `variable`/`at`: the loop step. */
  | { readonly kind: 'loop-step-out-of-range'; readonly read: string; readonly step: number; readonly variable: string; readonly at: number; readonly target: string; readonly steps: number }
  /** VAE334 */
  | { readonly kind: 'index-out-of-range'; readonly index: number; readonly target: string; readonly entries: number }
  /** VAE333: `found`: a one-hot vector, probabilities or another learned value. */
  | { readonly kind: 'index-not-label'; readonly found: TypeData }
  // Net calls (check-expr.ts). `name`: the net.
  /** VAE303: `call`: the arguments to write instead. */
  | { readonly kind: 'net-input-named'; readonly name: string; readonly found: string; readonly call: readonly string[] }
  /** VAE303: `given`: the types of the arguments passed (to declare them all, when there are more). */
  | { readonly kind: 'net-input-count'; readonly name: string; readonly expected: number; readonly found: number; readonly given: readonly string[] }
  /** VAE304 */
  | { readonly kind: 'net-input-class-index-passed'; readonly name: string; readonly input: number; readonly found: TypeData }
  /** VAE304 */
  | { readonly kind: 'net-input-kind'; readonly name: string; readonly input: number; readonly expected: TypeData; readonly found: TypeData }
  /**
   * VAE304: an input of another shape; `fix` says what probably went wrong: one step passed to a
   * recurrent net, data declared flat for an image net (`data`), a size mismatch an mlp would
   * flatten away, another net meant (`net`, taking `takes`), a scalar site (`site`), or none.
   */
  | {
      readonly kind: 'net-input-shape';
      readonly name: string;
      readonly input: number;
      readonly expected: TypeData;
      readonly found: readonly number[];
      readonly fix:
        | { readonly kind: 'recurrent-step' }
        | { readonly kind: 'flat-data'; readonly data: string; readonly vk: string }
        | { readonly kind: 'flatten' }
        | { readonly kind: 'other-net'; readonly net: string; readonly takes: TypeData }
        | { readonly kind: 'scalar-site'; readonly site: string }
        | { readonly kind: 'none' };
    };

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
  'const-not-finite': true,
  'const-not-compile-time': true,
  'data-cannot-be-partial': true,
  'sequence-without-time-axis': true,
  'sequence-bound-not-const': true,
  'net-reads-padding': true,
  'initializer-arguments': true,
  'initializer-not-compile-time': true,
  'initializer-normal-outside': true,
  'initializer-scale-not-positive': true,
  'initializer-range-outside': true,
  'param-kind-not-continuous': true,
  'param-init-not-compile-time': true,
  'param-init-outside': true,
  'net-input-class-index': true,
  'net-output-kind': true,
  'size-const-not-positive-integer': true,
  'size-not-compile-time': true,
  'size-not-positive-integer': true,
  'sequence-type-outside-data': true,
  'category-size-count': true,
  'class-kind-without-size': true,
  'net-outputs-not-picked': true,
  'distribution-not-value': true,
  'not-a-tensor': true,
  'objective-not-numeric': true,
  'prior-count-not-positive': true,
  'flow-hidden-not-positive': true,
  'flow-layer-argument': true,
  'flow-layer-partly-amortized': true,
  'flow-layer-without-density': true,
  'iaf-context-not-vector': true,
  'meta-call-arguments': true,
  'flow-base-not-distribution': true,
  'flow-base-not-real': true,
  'vamp-net-not-gaussian': true,
  'step-index-not-integer': true,
  'step-read-before-zero': true,
  'site-in-loop-without-step': true,
  'site-step-before-zero': true,
  'site-step-not-integer': true,
  'loop-bound-not-integer': true,
  'loop-without-steps': true,
  'step-not-drawn': true,
  'net-argument-not-positive': true,
  'net-argument-not-pair': true,
  'net-argument-not-boolean': true,
  'hidden-widths-not-positive': true,
  'recurrent-input-not-sequence': true,
  'recurrent-inputs-steps-differ': true,
  'recurrent-outputs-mixed': true,
  'net-output-image-mismatch': true,
  'net-output-channels': true,
  'net-output-not-vector-or-image': true,
  'sequential-empty': true,
  'layer-needs-image-input': true,
  'inputs-without-flatten': true,
  'layer-needs-image': true,
  'layer-missing-argument': true,
  'padding-same-on-deconv': true,
  'kernel-larger-than-input': true,
  'deconv-empty-output': true,
  'output-padding-too-large': true,
  'dense-needs-flat-input': true,
  'window-larger-than-input': true,
  'reshape-size-mismatch': true,
  'residual-changes-shape': true,
  'net-input-named': true,
  'net-input-count': true,
  'net-input-class-index-passed': true,
  'net-input-kind': true,
  'net-input-shape': true,
  'too-many-parameters': true,
  'site-too-large': true,
  'builtin-named-argument': true,
  'builtin-arity': true,
  'builtin-not-tensor': true,
  'builtin-not-square': true,
  'elementwise-class-index': true,
  'elementwise-domain': true,
  'builtin-class-index': true,
  'builtin-size-not-const': true,
  'onehot-not-class-index': true,
  'sum-of-scalar': true,
  'diag-not-positive-vector': true,
  'concat-too-few': true,
  'concat-scalar': true,
  'concat-does-not-broadcast': true,
  'range-not-value': true,
  'callable-not-value': true,
  'arithmetic-on-class-index': true,
  'operands-do-not-broadcast': true,
  'not-callable': true,
  'callee-not-name': true,
  'index-net-outputs': true,
  'index-without-axis': true,
  'index-not-one-label': true,
  'index-classes-exceed': true,
  'index-not-whole': true,
  'loop-step-out-of-range': true,
  'index-out-of-range': true,
  'index-not-label': true,
};

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1.5 GiB`, `3.2 TiB`: binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

/** The flat size hint: `reshape(...)` factors for a vector the conv layers need. */
function reshapeHint(n: number): string {
  for (const c of [64, 32, 16, 8, 4, 3, 2, 1]) {
    const hw = Math.round(Math.sqrt(n / c));
    if (hw > 1 && c * hw * hw === n) return `add \`reshape(${c}, ${hw}, ${hw})\` before it to make the ${n} values an image`;
  }
  return 'add `reshape(C, H, W)` before it to make the vector an image';
}

const pairText = (p: readonly number[]): string => (p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`);
const numelOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** `steps 0 to 4`, `steps 0, 2, 5`, `no steps`. */
function describeSteps(steps: readonly number[]): string {
  if (steps.length === 0) return 'no steps';
  const sorted = [...steps].sort((a, b) => a - b);
  const contiguous = sorted.every((x, i) => x === sorted[0]! + i);
  return contiguous ? `steps ${sorted[0]} to ${sorted[sorted.length - 1]}` : `steps ${sorted.join(', ')}`;
}

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
    case 'const-not-finite':
      return rendered(`\`${p.name}\` is not a finite number: it evaluates to ${formatNumber(p.value)}`, 'look for a division by zero or a number too large to represent');
    case 'const-not-compile-time':
      return rendered(`\`${p.name}\` must be a number known at compile time`, 'a const is a number or arithmetic on numbers and other consts, e.g. `const H = 2 * Z`');
    case 'data-cannot-be-partial':
      return rendered(`\`${p.data}\` is ${showType(p.type)}, which cannot have missing entries`, 'drop the `?`: a Cholesky factor is observed whole');
    case 'sequence-without-time-axis':
      return rendered(`\`${p.data}\` is declared ${showType(p.type)}, which has no time axis for \`..\``, 'a sequence puts its steps first, e.g. `data x: Real[..T, D]`; labels per step are not supported');
    case 'sequence-bound-not-const':
      return rendered('the most steps of a sequence (`..T`) must be the name of a const', "declare `const T = 20` and write `data x: Real[..T, D]`; loops `for t in 0..T` then follow each example's length");
    case 'net-reads-padding':
      return rendered(
        `\`${p.net}\` reads sequences of up to ${p.bound} steps, but only \`gru\` and \`lstm\` stop at each example's length; this net would read the padding`,
        `read the sequence with \`gru(hidden: H)\` or \`lstm(hidden: H)\`, or declare the data with a fixed length \`[${p.bound}, ...]\``,
      );
    case 'initializer-arguments':
      return p.missing
        ? rendered(`\`${p.family}\` as an initializer needs ${p.params.join(' and ')}`, `write \`${p.family}(${p.params.join(', ')})\``)
        : rendered(`\`${p.family}\` as an initializer takes ${p.params.join(' and ')}`, `write \`${p.family}(${p.params.join(', ')})\` with numbers`);
    case 'initializer-not-compile-time':
      return rendered('an initializer takes numbers known at compile time', `e.g. \`= ${p.family === 'Normal' ? 'Normal(0, 1)' : 'Uniform(-0.1, 0.1)'}\``);
    case 'initializer-normal-outside':
      return rendered(`a ${p.constraint} param cannot start at Normal draws, which may fall outside ${p.constraint}`, p.constraint === 'Positive' ? 'use `Uniform(0.5, 1.5)` or a number' : 'use `Uniform(0.2, 0.8)` or a number');
    case 'initializer-scale-not-positive':
      return rendered(`the scale of an initializer must be positive, found ${formatNumber(p.found)}`, 'e.g. `= Normal(0, 1)`');
    case 'initializer-range-outside': {
      const range = p.constraint === 'Positive' ? 'above 0' : p.constraint === 'Unit' ? 'strictly between 0 and 1' : 'finite';
      return rendered(
        `the initializer's range [${formatNumber(p.low)}, ${formatNumber(p.high)}] must be ${range}, with low < high`,
        `a ${p.constraint} param starts inside ${p.constraint}, e.g. \`= Uniform(${p.constraint === 'Unit' ? '0.2, 0.8' : p.constraint === 'Positive' ? '0.5, 1.5' : '-0.1, 0.1'})\``,
      );
    }
    case 'param-kind-not-continuous':
      return rendered(`a param must be Real, Positive or Unit, found ${showType(p.found)}`, 'discrete values cannot be learned by gradient descent');
    case 'param-init-not-compile-time':
      return rendered('a param initial value must be a number known at compile time', 'write a number or a const, e.g. `param s: Positive = 1.0`');
    case 'param-init-outside':
      return rendered(`the initial value ${formatNumber(p.value)} is outside ${p.constraint}`, p.constraint === 'Positive' ? 'a Positive param starts above 0, e.g. `= 1.0`' : 'a Unit param starts strictly between 0 and 1');
    case 'net-input-class-index':
      return rendered('a net cannot take a class index as input', `declare the input as \`OneHot[${p.classes ?? 'k'}]\` and pass \`onehot(y)\``);
    case 'net-output-kind':
      return rendered(`a net cannot output ${showType(p.found)}`, 'net outputs are Real (linear), Positive (softplus), Unit (sigmoid) or Simplex (softmax); output logits and use a discrete distribution on them');
    case 'size-const-not-positive-integer':
      return rendered(`a dimension must be a positive integer, but \`${p.name}\` is ${formatNumber(p.value)}`, 'a size counts elements: make the const a whole number greater than 0');
    case 'size-not-compile-time':
      return rendered(`\`${p.name}\` is not a compile-time number, so it cannot be a size`, 'sizes are numbers or `const`s, e.g. `const Z = 50` then `Real[Z]`');
    case 'size-not-positive-integer':
      return rendered(
        `a dimension must be a positive integer known at compile time, found ${p.value === null ? 'an expression that is not known at compile time' : formatNumber(p.value)}`,
        p.value === null ? 'use a number or a `const`, e.g. `const Z = 50` then `Real[Z]`' : 'a size counts elements: use a whole number greater than 0',
      );
    case 'sequence-type-outside-data':
      return rendered('`..` (a sequence of up to T steps) is for data declarations only', 'declare the data `data x: Real[..T, D]`; loops and nets over `T` follow its lengths');
    case 'category-size-count':
      return rendered(`\`Category\` takes exactly one number, the class count, found ${p.found}`, 'write `Category[10]` for a label with 10 classes');
    case 'class-kind-without-size':
      return rendered(`\`${p.vk}\` needs a size, the number of classes`, `give the number of classes, e.g. \`${p.vk}[10]\``);
    case 'net-outputs-not-picked':
      return rendered(`\`${p.net}\` has several outputs; pick one`, `use a field, e.g. \`.${p.fields[0] ?? 'loc'}\``);
    case 'distribution-not-value':
      return rendered(`a ${p.family} distribution is not a value`, 'a distribution can only appear right after `~`; to use a sample, declare a site and use its name');
    case 'not-a-tensor':
      return rendered(
        `expected a tensor, found ${p.shown}`,
        p.found === 'list' ? 'lists appear only as arguments of net bodies, e.g. `hidden: [400]`' : p.found === 'string' ? 'strings appear only after `extends` and in the train block' : 'use a number, a name or a call that gives a tensor',
      );
    case 'objective-not-numeric':
      return rendered(`the objective must be a number per example, found ${p.shown}`, 'use arithmetic on guide sites, e.g. `minimize(square(x))`; vectors are summed');
    case 'prior-count-not-positive':
      return p.prior === 'VampPrior'
        ? rendered('the number of pseudo-inputs must be a positive integer known at compile time', 'for example `k: 500`')
        : rendered('the number of mixture components must be a positive integer known at compile time', 'for example `MixtureNormal(k: 10)`');
    case 'flow-hidden-not-positive':
      return rendered(`the hidden widths of \`${p.layer}\` must be positive integers known at compile time`, `for example \`${p.layer}(hidden: [64, 64])\``);
    case 'flow-layer-argument':
      return rendered(
        p.found !== null ? `\`${p.layer}\` has no argument \`${p.found}\`` : `the arguments of \`${p.layer}\` are named`,
        p.allowed.length ? `its arguments are: ${p.allowed.map((x) => `${x}:`).join(', ')}` : `\`${p.layer}()\` takes no arguments`,
      );
    case 'flow-layer-partly-amortized':
      return rendered(`an amortized \`${p.layer}\` layer needs all of ${p.allowed.map((x) => `\`${x}:\``).join(', ')}`, `or none, for a layer with learnable global parameters: \`${p.layer}()\``);
    case 'flow-layer-without-density':
      return rendered(`a \`${p.layer}\` layer has no density at a given value, which a prior needs`, 'use `coupling(hidden: [...])` layers in a flow prior; planar, radial and IAF layers belong in the guide');
    case 'iaf-context-not-vector':
      return rendered(`the context of \`iaf\` must be a vector per example, found ${showType(p.found)}`, 'pass a net output such as `q.h` declared `h: Real[64]`');
    case 'meta-call-arguments':
      return p.call === 'Flow'
        ? rendered('`Flow` takes a base distribution and a list of layers', 'for example `Flow(Normal(q.loc, q.scale), [planar(), planar()])`')
        : p.call === 'Flow-layers'
          ? rendered('the layers of a Flow are a non-empty list', 'for example `[planar(), planar()]`')
          : rendered("`VampPrior` takes the guide's encoder net and the number of pseudo-inputs", 'for example `VampPrior(encoder, k: 500)`');
    case 'flow-base-not-distribution':
      return rendered(`the base of a Flow must be a distribution, found ${p.found ? showType(p.found) : 'a value'}`, 'for example `Normal(q.loc, q.scale)`');
    case 'flow-base-not-real':
      return rendered(`the base of a Flow must be a reparameterized distribution over real vectors; \`${p.family}\` is not`, 'use `Normal(...)` (or Laplace, StudentT)');
    case 'vamp-net-not-gaussian':
      return rendered(`\`${p.net}\` must take one input and output \`loc: Real[d]\` and \`scale: Positive[d]\``, 'the VampPrior is a mixture of Normal(loc, scale) at pseudo-inputs, so it needs a Gaussian encoder');
    case 'step-index-not-integer':
      return rendered(`a step of \`${p.site}\` is selected by a whole number known at compile time${p.found === null ? '' : `, found ${p.found}`}`, 'use the loop variable plus or minus a number, e.g. `z[t - 1]`');
    case 'step-read-before-zero':
      return rendered(
        `\`${p.read}\` reads step ${p.step} at ${p.where || `index ${p.step}`}: a time index before 0`,
        `steps start at 0: start the loop later (e.g. \`for t in 1..T\`) and draw the first step before it, e.g. \`${p.site}[0] ~ Normal(0, 1)\``,
      );
    case 'site-in-loop-without-step':
      return rendered(`the site \`${p.site}\` is inside a \`for\` loop but has no step index`, `give it one site per step: \`${p.site}[${p.variable}] ~ ...\`; or move it out of the loop`);
    case 'site-step-before-zero':
      return rendered(`\`${p.read}\` is step ${p.step}${p.where ? ` at ${p.where}` : ''}: a time index before 0`, 'steps start at 0');
    case 'site-step-not-integer':
      return rendered(`the step of \`${p.site}\` must be a whole number known at compile time`, p.inLoop ? 'index the site with the loop variable, e.g. `z[t] ~ ...`' : 'write the step as a number, e.g. `z[0] ~ ...`');
    case 'loop-bound-not-integer':
      return rendered(`a loop bound must be a whole number known at compile time${p.found === null ? '' : `, found ${p.found}`}`, 'use numbers and consts, e.g. `for t in 0..T` with `const T = 20`');
    case 'loop-without-steps':
      return rendered(p.from < 0 ? `the loop starts at ${p.from}: a time index before 0` : `the loop \`${p.from}..${p.to}\` has no steps`, '`for t in a..b` runs t = a, a + 1, ..., b - 1 with 0 <= a < b');
    case 'step-not-drawn':
      return rendered(
        `\`${p.read}\` reads step ${p.step}${p.where ? ` at ${p.where}` : ''}, but \`${p.site}\` has ${describeSteps(p.steps)}`,
        p.steps.length > 0 && p.step > Math.max(...p.steps) ? 'end the loop one step earlier, or read an earlier step' : `draw \`${p.site}[${p.step}]\` before this line`,
      );
    case 'net-argument-not-positive':
      return rendered(`${p.argument} must be a ${p.allowZero ? 'non-negative' : 'positive'} integer known at compile time`, 'use a number or a `const`');
    case 'net-argument-not-pair':
      return rendered(`${p.argument} takes one number or a pair [height, width], found ${p.found} numbers`, `write e.g. \`${p.argument}: 3\` or \`${p.argument}: [3, 5]\``);
    case 'net-argument-not-boolean':
      return rendered(`${p.argument} must be \`true\` or \`false\``, `write \`${p.argument}: true\``);
    case 'hidden-widths-not-positive':
      return rendered('hidden layer widths must be positive integers known at compile time', 'for example `hidden: [400]` or `hidden: [500, 500]`');
    case 'recurrent-input-not-sequence': {
      const flat = p.found.shape.length < 2;
      return rendered(
        `a recurrent net runs over a time axis, but input ${p.input} of \`${p.net}\` is ${showType(p.found)}, which ${flat ? 'has no time axis' : 'has more than one axis per step'}`,
        flat ? `declare the input as [T, d]: steps first, e.g. \`${p.found.vk}[T, ${p.found.shape[0] ?? 1}]\`; for a value without steps use \`mlp\`` : 'flatten each step to a vector: [T, d]',
      );
    }
    case 'recurrent-inputs-steps-differ':
      return rendered(`the inputs of \`${p.net}\` have different time axes: ${p.steps[0]} and ${p.steps[1]} steps`, 'a recurrent net reads its inputs step by step: give them the same number of steps');
    case 'recurrent-outputs-mixed':
      return rendered(`the outputs of \`${p.net}\` mix per-step values (${showType(p.perStep)}) with a final one (${showType(p.final)})`, 'declare two nets, or give every output the time axis');
    case 'net-output-image-mismatch':
      return rendered(
        `the last layer of \`${p.net}\` gives ${formatLayerShape(p.gives)}, which does not fit ${p.output !== null ? `the output \`${p.output}\`` : 'the output'}, declared ${showType(p.declared)}`,
        p.fix ??
          (p.image
            ? `change the layers so the image is ${p.image[1]}x${p.image[2]} (see each layer's size rule in docs/language.md), or declare ${p.want}`
            : `declare ${p.want}, or end the layers with \`flatten()\` (the outputs then get linear heads)`),
      );
    case 'net-output-channels':
      return rendered(`the last layer of \`${p.net}\` gives ${p.channels} ${plural(p.channels, 'channel')} but the outputs need ${p.needed}`, `give the last layer ${p.needed} ${plural(p.needed, 'channel')}: the outputs take the channels in order`);
    case 'net-output-not-vector-or-image':
      return rendered(`the last layer of \`${p.net}\` gives ${formatLayerShape(p.gives)}; the outputs need a vector or an image`, 'end with `flatten()` or a `dense(...)` layer (linear heads follow), or an image [C, H, W]');
    case 'sequential-empty':
      return rendered('`sequential` needs at least one layer', 'e.g. `sequential(conv2d(32, kernel: 4, stride: 2, padding: 1), flatten(), dense(256))`');
    case 'layer-needs-image-input':
      return rendered(
        `\`${p.layer}\` needs an image, but the first input of \`${p.net}\` is ${showType(p.found)}`,
        p.found.shape.length === 1 ? `declare the input with its image shape, e.g. \`${p.found.vk}[28, 28]\` for 784 pixels, or start with \`dense(...)\` and \`reshape(C, H, W)\`` : 'declare the input as an image [H, W] or [C, H, W]',
      );
    case 'inputs-without-flatten':
      return rendered(`\`${p.net}\` has ${p.inputs} inputs but no \`flatten()\` where the others join the image`, 'add `flatten()` after the convolutions; the other inputs are concatenated to the flattened image there');
    case 'layer-needs-image':
      return rendered(
        `\`${p.layer}\` needs an image [channels, height, width], but its input in \`${p.net}\` is ${formatLayerShape(p.input)}`,
        p.input.length === 1 ? reshapeHint(p.input[0]!) : 'declare the input as an image, e.g. `Real[28, 28]` or `Real[3, 32, 32]`',
      );
    case 'layer-missing-argument':
      switch (p.missing) {
        case 'channels':
        case 'kernel':
          return rendered(`\`${p.layer}\` needs ${p.missing === 'channels' ? 'the number of output channels' : 'a kernel size'}`, `write \`${p.signature}\``);
        case 'units':
          return rendered('`dense` needs the number of units', `write \`${p.signature}\``);
        case 'shape':
          return rendered('`reshape` needs the new shape', 'write e.g. `reshape(64, 7, 7)`');
        default:
          return rendered('`residual` needs at least one layer', 'write e.g. `residual(conv2d(64, kernel: 3, padding: 1), conv2d(64, kernel: 3, padding: 1))`');
      }
    case 'padding-same-on-deconv':
      return rendered('`padding: same` is for conv2d', 'give deconv2d a number: out = (in − 1)·stride − 2·padding + kernel + outputPadding');
    case 'kernel-larger-than-input':
      return rendered(
        `\`conv2d\` in \`${p.net}\`: the kernel ${p.kernel[0]}x${p.kernel[1]} is larger than its padded input ${p.padded[0]}x${p.padded[1]} (input ${formatLayerShape(p.input)})`,
        'use a smaller kernel, more padding, or fewer downsampling layers before this one',
      );
    case 'deconv-empty-output':
      return rendered(`\`deconv2d\` in \`${p.net}\` would produce ${p.output[0]}x${p.output[1]} pixels from ${formatLayerShape(p.input)}`, 'use less padding or a larger kernel');
    case 'output-padding-too-large':
      return rendered(`\`outputPadding\` must be smaller than the stride, found ${pairText(p.outputPadding)} with stride ${pairText(p.stride)}`, 'output padding only resolves the rounding of a strided convolution');
    case 'dense-needs-flat-input':
      return rendered(`\`dense\` needs a flat input, but its input in \`${p.net}\` is ${formatLayerShape(p.input)}`, 'add `flatten()` before it');
    case 'window-larger-than-input':
      return rendered(`\`${p.layer}\` in \`${p.net}\`: the window ${p.window[0]}x${p.window[1]} is larger than its input ${formatLayerShape(p.input)}`, 'use a smaller window');
    case 'reshape-size-mismatch': {
      const n = numelOf(p.dims);
      return rendered(
        `\`reshape(${p.dims.join(', ')})\` in \`${p.net}\` needs ${n} values, but its input is ${formatLayerShape(p.input)}`,
        p.afterDense ? `give the layer before it ${n} units: \`dense(${n})\`` : `make the sizes multiply to ${numelOf(p.input)}, or change the layer before it`,
      );
    }
    case 'residual-changes-shape':
      return rendered(
        `a residual block must keep its shape, but this one maps ${formatLayerShape(p.input)} to ${formatLayerShape(p.output)}`,
        "use stride 1 and `padding: same` (or padding (k − 1)/2) and the input's channel count inside the block",
      );
    case 'net-input-named':
      return rendered(`net inputs are positional; found \`${p.found}:\``, `drop the names: write \`${p.name}(${p.call.join(', ')})\``);
    case 'net-input-count':
      return rendered(
        `\`${p.name}\` takes ${p.expected} ${plural(p.expected, 'input')}, found ${p.found}`,
        p.found > p.expected
          ? `to give \`${p.name}\` more inputs, declare them all in its signature: \`net ${p.name}: (${p.given.join(', ')}) -> ...\`; the net concatenates them`
          : `pass all ${p.expected} inputs, in the order of the declaration`,
      );
    case 'net-input-class-index-passed':
      return rendered(`input ${p.input} of \`${p.name}\` is a class index (${showType(p.found)}), but nets take numbers`, 'pass `onehot(y)` and declare the input as `OneHot[k]`');
    case 'net-input-kind':
      return rendered(`input ${p.input} of \`${p.name}\` must be ${showType(p.expected)}, found ${showType(p.found)}`);
    case 'net-input-shape': {
      const want = p.expected;
      const f = p.fix;
      const hint =
        f.kind === 'recurrent-step'
          ? `\`${p.name}\` is a recurrent net: it reads a whole sequence [T, d] and runs over its steps itself; pass the sequence (e.g. \`${p.name}(x)\`), not one step, and index its output per step (\`h[t]\`)`
          : f.kind === 'flat-data'
            ? `declare the data with its image shape, \`data ${f.data}: ${f.vk}${formatShape(want.shape)}\` (the same ${numelOf(p.found)} values: data files may hold them flat)`
            : f.kind === 'flatten'
              ? `declare the input as ${want.vk}${formatShape(p.found)}; an mlp flattens its inputs`
              : f.kind === 'other-net'
                ? `\`${f.net}\` takes ${showType(f.takes)}: did you mean \`${f.net}(...)\`?`
                : f.kind === 'scalar-site'
                  ? `\`${f.site}\` is a scalar site: declare its shape, e.g. \`${f.site}: ${want.vk}${formatShape(want.shape)} ~ ...\``
                  : `pass a value of shape ${formatShape(want.shape)}`;
      return rendered(`input ${p.input} of \`${p.name}\` has shape ${formatShape(p.found)} but the net expects ${formatShape(want.shape)}`, hint);
    }
    case 'too-many-parameters':
      return rendered(
        `this program has ${count(p.total)} parameters: ${formatBytes(p.total * 4)} as float32, ${formatBytes(p.total * p.bytesPerParameter)} to train (weights, gradients and Adam's two moments), over the ${formatBytes(p.limitBytes)} the engine can address`,
        `the largest are ${p.largest.map((o) => `\`${o.name}\` ${count(o.count)}`).join(', ')}; at most ${count(p.maxParameters)} parameters fit: reduce the sizes (a \`const\` such as Z, or the hidden widths)`,
      );
    case 'site-too-large':
      return rendered(
        `\`${p.site}\` has ${count(p.perExample)} elements per example: a batch of ${p.batch} is ${count(p.perExample * p.batch)} elements (${formatBytes(p.perExample * p.batch * 4)} as float32), over the ${count(p.maxElements)} one tensor can hold`,
        'reduce the size of its type, or the batch (`batch:` in the train block)',
      );
    case 'index-net-outputs':
      return rendered(`\`${p.net}\` has several outputs; pick one to index`, `index one output, e.g. \`${p.example}.${p.field}[...]\``);
    case 'index-without-axis':
      return rendered(
        `${p.target} is ${showType(p.found)}, which has no axis to index`,
        p.found.vk === 'Category' ? 'a label selects an entry of a table: put the table first, e.g. `mus[y]` with `param mus: Real[10, Z]`' : 'only values with an axis can be indexed, e.g. `Real[10, Z]`',
      );
    case 'index-not-one-label':
      return rendered(`an index is one label, found ${showType(p.found)}`, 'index with a single label `Category[k]`');
    case 'index-classes-exceed': {
      const dims = [p.classes, ...p.rest].join(', ');
      return rendered(
        `${p.index} has ${p.classes} classes but the first axis of ${p.target} has ${p.entries} entries`,
        `labels ${p.entries}..${p.classes - 1} would be out of range: give ${p.target} ${p.classes} entries, e.g. ${p.param !== null ? `\`param ${p.param}: ${p.vk}[${dims}]\`` : `[${dims}]`}`,
      );
    }
    case 'index-not-whole':
      return rendered(`an index must be a whole number, found ${formatNumber(p.found)}`, `use an integer from 0 to ${p.entries - 1}`);
    case 'loop-step-out-of-range': {
      const at = `\`${p.read}\` reads step ${formatNumber(p.step)} at ${p.variable} = ${p.at}`;
      const end = p.steps - (p.step - p.at);
      return p.step < 0
        ? rendered(`${at}: a time index before 0`, 'steps start at 0: start the loop later, e.g. `for t in 1..T`')
        : rendered(`${at}, but ${p.target} has ${p.steps} steps (0 to ${p.steps - 1}): the sequence is longer than the data`, `end the loop at ${end}, e.g. \`for ${p.variable} in 0..${end}\``);
    }
    case 'index-out-of-range':
      return rendered(
        `index ${formatNumber(p.index)} is out of range: ${p.target} has ${p.entries} ${p.entries === 1 ? 'entry' : 'entries'} on its first axis (0 to ${p.entries - 1})`,
        `indices start at 0; the last entry is ${p.entries - 1}`,
      );
    case 'index-not-label':
      return rendered(
        `an index must be a class label or a whole number known at compile time, found ${showType(p.found)}`,
        p.found.vk === 'OneHot'
          ? 'index with the label itself (`Category[k]`), not its one-hot vector'
          : p.found.vk === 'Simplex'
            ? 'to select by these probabilities, draw a label from them with a site, e.g. `y ~ Categorical(probs: p)`, and index with `y`'
            : 'an index is a class label `Category[k]` or a number known at compile time; a learned value cannot select an entry',
      );
    case 'builtin-named-argument':
      return rendered(`\`${p.fn}\` takes no named arguments; found \`${p.name}:\``, `write \`${p.signature}\``);
    case 'builtin-arity':
      return rendered(`\`${p.fn}\` takes ${p.expected} ${plural(p.expected, 'argument')}, found ${p.found}`, `write \`${p.signature}\``);
    case 'builtin-not-tensor':
      return rendered(`\`${p.fn}\` needs a tensor, found ${p.shown}`, p.record ? 'pick one output with `.name`, e.g. `q.loc`' : undefined);
    case 'builtin-not-square':
      return rendered(
        `\`${p.fn}\` needs square matrices [..., d, d], found ${showType(p.found)}`,
        'make it square, e.g. a net output `Real[d, d]`; a d x r factor is the `cov_factor` of `LowRankMultivariateNormal`',
      );
    case 'elementwise-class-index':
      return rendered(`\`${p.fn}\` needs real values, found ${showType(p.found)}`, 'class indices are not numbers; use `onehot(y)`');
    case 'elementwise-domain':
      return rendered(`\`${p.fn}\` is not defined for every ${showType(p.found)} value`, DOMAIN_HINTS[p.fn]);
    case 'builtin-class-index':
      return rendered(`\`${p.fn}\` needs ${p.fn === 'sum' ? 'numbers' : 'real values'}, found a class index`, 'use `onehot(y)`');
    case 'builtin-size-not-const':
      return p.fn === 'zeros' || p.fn === 'ones'
        ? rendered(`\`${p.fn}\` needs positive integer dimensions known at compile time`, 'use numbers or `const` names')
        : rendered(`\`${p.fn}\` needs a positive integer known at compile time`);
    case 'onehot-not-class-index':
      return rendered(`\`onehot\` needs a class index (Category[k]), found ${showType(p.found)}`);
    case 'sum-of-scalar':
      return rendered('`sum` adds up the last axis of a vector, found a scalar', 'a scalar is its own sum');
    case 'diag-not-positive-vector':
      return rendered(`\`diag\` needs a vector of positive values, found ${showType(p.found)}`, 'e.g. a net output `Positive[d]` or `ones(d)`');
    case 'concat-too-few':
      return rendered('`concat` needs at least two tensors', 'write `concat(a, b)`');
    case 'concat-scalar':
      return rendered('`concat` joins vectors, found a scalar', 'scalars have no axis to join along');
    case 'concat-does-not-broadcast':
      return rendered(`\`concat\` cannot join ${showType(p.first)} with ${showType(p.found)}`, 'all axes but the last must broadcast');
    case 'range-not-value':
      return rendered('a range `a -> b` is not a value', 'ranges appear only in schedules, e.g. `beta: anneal(0 -> 1, epochs: 10)`');
    case 'callable-not-value':
      return p.what === 'net'
        ? rendered(`\`${p.name}\` is a net; call it`, `write \`${p.name}(...)\` with its inputs`)
        : p.what === 'distribution'
          ? rendered(`\`${p.name}\` is a distribution, not a value`, `write \`${p.name}(...)\` right after \`~\``)
          : rendered(`\`${p.name}\` is a function; call it`, `write \`${p.name}(...)\``);
    case 'arithmetic-on-class-index':
      return rendered(
        `arithmetic on a class index: ${p.operand !== null ? `\`${p.operand}\`` : 'this operand'} is ${showType(p.found)}`,
        `class indices are labels, not numbers; use \`onehot(${p.operand ?? 'y'})\` to get a one-hot vector`,
      );
    case 'operands-do-not-broadcast':
      return rendered(`shapes ${formatShape(p.left)} and ${formatShape(p.right)} do not broadcast`, 'broadcasting aligns shapes on the right; each pair of sizes must be equal or 1');
    case 'not-callable':
      return rendered(`${p.shown} is not a function`, 'only nets, distributions and built-ins can be called');
    case 'callee-not-name':
      return rendered('only names can be called', 'call a net, a distribution or a built-in by its name, e.g. `decoder(z)`');
    case 'site-not-distribution': {
      const likelihood = p.data === 'Binary' ? 'Bernoulli(logits: ...)' : p.data === 'Category' ? 'Categorical(logits: ...)' : 'Normal(..., 1)';
      return rendered(
        `expected a distribution after \`~\`, found ${p.found ? showType(p.found) : 'a value'}`,
        p.data !== undefined ? `an observed site needs a likelihood around the value, e.g. \`${p.site} ~ ${likelihood}\`` : `for a deterministic value write \`let ${p.site} = ...\`; for a random one \`${p.site} ~ Normal(...)\``,
      );
    }
  }
}
