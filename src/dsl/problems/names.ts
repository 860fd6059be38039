/**
 * VAE2xx, names: unknown names, distributions, functions, types, net bodies and fields; names
 * defined twice or used before their definition; annotations; Python-style qualified names.
 * The problems as data (what was found, what was expected) and their one renderer.
 */
import { ACTIVATIONS } from '../activations';
import { didYouMean } from '../suggest';
import { rendered, type Rendered } from './rendered';

export type NameProblem =
  /** VAE201: a name nothing declares; `expected` are the names visible there, `scope` where it was read. */
  | { readonly kind: 'unknown-name'; readonly found: string; readonly expected: readonly string[]; readonly scope: 'block' | 'global' | 'size' }
  /** VAE201: a site written per step (`z[t] ~ ...`) read without a step. */
  | { readonly kind: 'sequence-without-step'; readonly name: string; readonly firstStep: number }
  /** VAE201: the guide reads a latent site of the model that it has not sampled. */
  | { readonly kind: 'model-latent-in-guide'; readonly name: string }
  /** VAE202: a capitalized call that is no distribution; `alias`: the family it is another name for. */
  | { readonly kind: 'unknown-distribution'; readonly found: string; readonly expected: readonly string[]; readonly alias?: string }
  /** VAE203: a call of something that is neither a net, a built-in nor a distribution. */
  | { readonly kind: 'unknown-function'; readonly found: string; readonly nets: readonly string[]; readonly builtins: readonly string[]; readonly distributions: readonly string[] }
  /** VAE203: a net body (`mlp`, ...) called as a function in an expression. */
  | { readonly kind: 'net-body-as-function'; readonly name: string }
  /** VAE203: Pyro's effect calls (`sample`, `observe`, `factor`). */
  | { readonly kind: 'effect-call'; readonly name: string }
  /** VAE203: a layer of a flow that is not one (`found` null: not a name or call). */
  | { readonly kind: 'unknown-flow-layer'; readonly found: string | null; readonly expected: readonly string[] }
  /** VAE203: `VampPrior`'s net argument is not a net (`found` null: not a name). */
  | { readonly kind: 'not-a-net'; readonly found: string | null; readonly expected: readonly string[] }
  /** VAE204: a type name that is not a value kind. */
  | { readonly kind: 'unknown-type'; readonly found: string; readonly expected: readonly string[] }
  /** VAE205: a net body or layer without a body of that name (`found` null: not a call). */
  | { readonly kind: 'unknown-net-body'; readonly found: string | null; readonly expected: readonly string[] }
  /** VAE205: a layer of `sequential(...)` that is not one (`found` null: not a name or call). */
  | { readonly kind: 'unknown-layer'; readonly found: string | null; readonly expected: readonly string[] }
  /** VAE205: an activation that is not one (`found` null: not a name). */
  | { readonly kind: 'unknown-activation'; readonly found: string | null; readonly expected: readonly string[] }
  /** VAE205: an argument a net body or layer does not take: keyword `found`, or (`found` null) positional number `position`. */
  | { readonly kind: 'unknown-argument'; readonly callee: string; readonly found: string | null; readonly position?: number; readonly expected: readonly string[] }
  /** VAE205: a keyword argument of `sequential` other than `activation`. */
  | { readonly kind: 'sequential-keyword'; readonly found: string }
  /** VAE205: the same argument given twice. */
  | { readonly kind: 'duplicate-argument'; readonly name: string }
  /** VAE205: `gru`/`lstm` without `hidden:`. */
  | { readonly kind: 'recurrent-without-hidden'; readonly body: string }
  /** VAE206: a field a net's named outputs do not have. */
  | { readonly kind: 'unknown-output'; readonly net: string; readonly found: string; readonly expected: readonly string[] }
  /** VAE206: a field of a distribution (`type` as written in messages, e.g. `Normal`). */
  | { readonly kind: 'field-of-distribution'; readonly type: string; readonly found: string }
  /** VAE206: a field of a value that has none (`type` as written in messages, e.g. `Real[50]`). */
  | { readonly kind: 'field-of-value'; readonly type: string; readonly found: string }
  /** VAE207: a second `model` or `guide` block. */
  | { readonly kind: 'second-block'; readonly block: string }
  /** VAE207: a declaration named like a distribution, built-in or net body. */
  | { readonly kind: 'reserved-name'; readonly name: string; readonly taken: 'distribution' | 'builtin' | 'net-body' }
  /** VAE207: a global name declared twice. */
  | { readonly kind: 'declared-twice'; readonly name: string }
  /** VAE207: two outputs of a net with the same name. */
  | { readonly kind: 'output-declared-twice'; readonly name: string }
  /** VAE207: a site or let defined twice in one block. */
  | { readonly kind: 'defined-twice-in-block'; readonly name: string }
  /** VAE207: a site or let named like a global declaration. */
  | { readonly kind: 'already-declared'; readonly name: string }
  /** VAE207: a loop variable named like a declaration, an enclosing loop variable or a sequence. */
  | { readonly kind: 'loop-variable-declared'; readonly name: string }
  /** VAE208: observed data read in the model before its site. */
  | { readonly kind: 'observed-before-site'; readonly name: string }
  /** VAE208: partly observed data read in the guide before the guide samples it. */
  | { readonly kind: 'partial-data-in-guide'; readonly name: string }
  /** VAE208: a name read above the line that defines it. */
  | { readonly kind: 'used-before-definition'; readonly name: string }
  /** VAE208: a step of a sequence read before it is drawn (`read` as written, `where` the loop steps, e.g. `t = 3`). */
  | { readonly kind: 'future-step'; readonly read: string; readonly step: number; readonly where?: string }
  /** VAE209: an annotation that is not an estimator (`suggestion`: the estimator it is an alias or prefix of). */
  | { readonly kind: 'unknown-annotation'; readonly found: string; readonly expected: readonly string[]; readonly suggestion?: string }
  /** VAE210: `module.function` (`pyro.sample`, `torch.exp`, `dist.Normal`). */
  | { readonly kind: 'qualified-name'; readonly module: string; readonly name: string };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const NAME_KINDS: Record<NameProblem['kind'], true> = {
  'unknown-name': true,
  'sequence-without-step': true,
  'model-latent-in-guide': true,
  'unknown-distribution': true,
  'unknown-function': true,
  'net-body-as-function': true,
  'effect-call': true,
  'unknown-flow-layer': true,
  'not-a-net': true,
  'unknown-type': true,
  'unknown-net-body': true,
  'unknown-layer': true,
  'unknown-activation': true,
  'unknown-argument': true,
  'sequential-keyword': true,
  'duplicate-argument': true,
  'recurrent-without-hidden': true,
  'unknown-output': true,
  'field-of-distribution': true,
  'field-of-value': true,
  'second-block': true,
  'reserved-name': true,
  'declared-twice': true,
  'output-declared-twice': true,
  'defined-twice-in-block': true,
  'already-declared': true,
  'loop-variable-declared': true,
  'observed-before-site': true,
  'partial-data-in-guide': true,
  'used-before-definition': true,
  'future-step': true,
  'unknown-annotation': true,
  'qualified-name': true,
};

const code = (s: string): string => `\`${s}\``;

/** Pyro's effect calls: `pyro.sample(...)` gets the hint about sites rather than about modules. */
const EFFECTS = ['sample', 'observe', 'factor', 'param', 'plate', 'deterministic'];
/** Pyro's and torch's ways to shape a distribution, which the site's type replaces. */
const RESHAPERS = ['to_event', 'expand', 'expand_by', 'independent', 'mask'];
const TAKEN = { distribution: 'a distribution', builtin: 'a built-in function', 'net-body': 'a net body' } as const;

function unknownNameHint(p: Extract<NameProblem, { kind: 'unknown-name' }>): string {
  const dm = didYouMean(p.found, p.expected);
  if (dm !== undefined) return dm;
  if (p.scope === 'block') return 'declare it (`data`, `const`, `param`) or define it above this line with a site or `let`';
  if (p.scope === 'global') return 'declare it with `const` above this line';
  return `declare it, e.g. \`const ${p.found} = 50\``;
}

function unknownTypeHint(found: string, expected: readonly string[]): string {
  if (found === 'Int' || found === 'Integer' || found === 'Label') return 'class labels are `Category[k]`';
  if (found === 'Float' || found === 'Tensor') return 'real values are `Real[...]`';
  return didYouMean(found, expected) ?? `the types are: ${expected.join(', ')}`;
}

function unknownNetBodyHint(found: string | null, expected: readonly string[]): string {
  if (found === 'conv' || found === 'cnn' || found === 'conv2d') {
    return 'a convolutional net is a `sequential(...)` of layers, e.g. `sequential(conv2d(32, kernel: 4, stride: 2, padding: 1), conv2d(64, kernel: 4, stride: 2, padding: 1), flatten())`';
  }
  if (found === 'rnn' || found === 'GRU' || found === 'LSTM') return 'the recurrent bodies are `gru(hidden: 64)` and `lstm(hidden: 64)`';
  return (found !== null ? didYouMean(found, expected) : undefined) ?? `the net bodies are: ${expected.map((k) => `\`${k}(...)\``).join(', ')}`;
}

function unknownLayerHint(found: string | null, expected: readonly string[]): string {
  if (found !== null && (ACTIVATIONS as readonly string[]).includes(found)) {
    return `an activation is an argument, not a layer: \`sequential(..., activation: ${found})\` or \`conv2d(32, kernel: 3, activation: ${found})\``;
  }
  return (found !== null ? didYouMean(found, expected) : undefined) ?? `the layers are: ${expected.join(', ')}`;
}

export function renderNames(p: NameProblem): Rendered {
  switch (p.kind) {
    case 'unknown-name':
      return rendered(`unknown name ${code(p.found)}`, unknownNameHint(p));
    case 'sequence-without-step':
      return rendered(`${code(p.name)} is a sequence of sites, one per step; read one step`, `index it with a step, e.g. \`${p.name}[t - 1]\` inside \`for t in ...\`, or \`${p.name}[${p.firstStep}]\``);
    case 'model-latent-in-guide':
      return rendered(`${code(p.name)} is a model site that the guide has not sampled`, `the guide cannot read model values; sample \`${p.name} ~ ...\` in the guide above this line`);
    case 'unknown-distribution':
      return rendered(`unknown distribution ${code(p.found)}`, (p.alias !== undefined ? `the family is called ${code(p.alias)}` : didYouMean(p.found, p.expected)) ?? `the distributions are: ${p.expected.join(', ')}`);
    case 'unknown-function':
      return rendered(
        `unknown function or net ${code(p.found)}`,
        didYouMean(p.found, [...p.nets, ...p.builtins, ...p.distributions]) ?? `declare a net with \`net ${p.found}: ... = mlp(...)\`; the built-ins are: ${p.builtins.join(', ')}`,
      );
    case 'net-body-as-function':
      return rendered(`${code(p.name)} is a net body, not a function`, `use it in a net declaration: \`net f: Real[784] -> Real[50] = ${p.name}(...)\``);
    case 'effect-call':
      return rendered(`there is no ${code(p.name)} function`, 'declare sites with `~`: `z ~ Normal(0, 1)`; a site named like a data declaration is observed');
    case 'unknown-flow-layer':
      return rendered(p.found !== null ? `unknown flow layer ${code(p.found)}` : 'expected a flow layer', (p.found !== null ? didYouMean(p.found, p.expected) : undefined) ?? `the layers are: ${p.expected.map((l) => `${l}()`).join(', ')}`);
    case 'not-a-net':
      return rendered(`${code(p.found ?? '?')} is not a net`, didYouMean(p.found ?? '', p.expected) ?? 'pass the name of the encoder net, without calling it');
    case 'unknown-type':
      return rendered(`unknown type ${code(p.found)}`, unknownTypeHint(p.found, p.expected));
    case 'unknown-net-body':
      return rendered(p.found !== null ? `unknown net body ${code(p.found)}` : 'a net body must be a call such as `mlp(...)` or `sequential(...)`', unknownNetBodyHint(p.found, p.expected));
    case 'unknown-layer':
      return rendered(p.found !== null ? `unknown layer ${code(p.found)}` : 'expected a layer such as `conv2d(32, kernel: 3)`', unknownLayerHint(p.found, p.expected));
    case 'unknown-activation':
      return rendered(`unknown activation${p.found !== null ? ` ${code(p.found)}` : ''}`, (p.found !== null ? didYouMean(p.found, p.expected) : undefined) ?? `the activations are: ${p.expected.join(', ')}`);
    case 'unknown-argument':
      return rendered(
        `${code(p.callee)} has no argument ${p.found !== null ? code(p.found) : `number ${p.position}`}`,
        (p.found !== null ? didYouMean(p.found, p.expected) : undefined) ?? (p.expected.length ? `its arguments are: ${p.expected.join(', ')}` : `\`${p.callee}()\` takes no arguments`),
      );
    case 'sequential-keyword':
      return rendered(`\`sequential\` has no argument ${code(p.found)}`, 'give the layers positionally, then `activation: relu`');
    case 'duplicate-argument':
      return rendered(`${code(p.name)} is given twice`, 'remove one of them');
    case 'recurrent-without-hidden':
      return rendered(`${code(p.body)} needs the size of its hidden state`, `write \`${p.body}(hidden: 64)\``);
    case 'unknown-output':
      return rendered(`${code(p.net)} has no output ${code(p.found)}`, didYouMean(p.found, p.expected) ?? `its outputs are: ${p.expected.join(', ')}`);
    case 'field-of-distribution':
      return rendered(
        `${p.type} has no field ${code(p.found)}`,
        RESHAPERS.includes(p.found) ? "the event shape comes from the site's type: write e.g. `z: Real[50] ~ Normal(0, 1)`" : 'a distribution has no fields; it can only appear right after `~`',
      );
    case 'field-of-value':
      return rendered(`${p.type} has no field ${code(p.found)}`, 'only the outputs of a net with named outputs have fields');
    case 'second-block':
      return rendered(`a second ${code(p.block)} block`, `put all ${p.block} sites in one block`);
    case 'reserved-name':
      return rendered(`${code(p.name)} is already the name of ${TAKEN[p.taken]}`, 'choose another name');
    case 'declared-twice':
      return rendered(`${code(p.name)} is declared twice`, 'rename one of them');
    case 'output-declared-twice':
      return rendered(`output ${code(p.name)} is declared twice`, 'give each output its own name');
    case 'defined-twice-in-block':
      return rendered(`${code(p.name)} is defined twice in this block`, 'each site and let needs its own name');
    case 'already-declared':
      return rendered(`${code(p.name)} is already declared`, 'choose another name');
    case 'loop-variable-declared':
      return rendered(`the loop variable ${code(p.name)} is already declared`, 'choose another name for the loop variable, e.g. `t`');
    case 'observed-before-site':
      return rendered(`${code(p.name)} is observed by a site in the model and is used before that site`, `a model can use ${code(p.name)} only after \`${p.name} ~ ...\``);
    case 'partial-data-in-guide':
      return rendered(`${code(p.name)} is only partly observed; the guide must sample it before using it`, `add \`${p.name} ~ Categorical(...)\` to the guide above this line`);
    case 'used-before-definition':
      return rendered(`${code(p.name)} is used before it is defined`, `move this line below the definition of ${code(p.name)}`);
    case 'future-step':
      return rendered(`${code(p.read)} reads step ${p.step}${p.where ? ` at ${p.where}` : ''}, which is drawn later`, 'a step can read earlier steps only, e.g. `z[t - 1]`');
    case 'unknown-annotation':
      return rendered(`unknown annotation \`@${p.found}\``, p.suggestion !== undefined ? `did you mean \`@${p.suggestion}\`?` : `the annotations are: ${p.expected.map((k) => `@${k}`).join(', ')}`);
    case 'qualified-name':
      return rendered(
        `\`${p.module}.${p.name}\` is a Python-style qualified name`,
        EFFECTS.includes(p.name) ? 'vaelang has no modules or effect calls: declare sites with `~`, e.g. `z ~ Normal(0, 1)`; a site named like a data declaration is observed' : `vaelang has no modules: write \`${p.name}(...)\``,
      );
  }
}
