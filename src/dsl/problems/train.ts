/**
 * VAE6xx, the train block and reuse (`extends`, `--set`): the problems as data and their one
 * renderer.
 */
import { rendered, type Rendered } from './rendered';

/** One statement of a stepped site as written: its index (`0`, `t`) and its loop, if any. */
export interface StatementData {
  readonly site: string;
  readonly index: string | null;
  readonly loop: { readonly variable: string; readonly from: string; readonly to: string } | null;
}

/**
 * What is wrong with one setting's value (inside `bad-setting`): what was found, where known,
 * and what is expected (a range, a form, the allowed names).
 */
export type SettingValueProblem =
  /** More or fewer values than one. */
  | { readonly kind: 'value-count'; readonly found: number }
  /** `found`: the number written (null: not a number). */
  | { readonly kind: 'not-an-integer'; readonly found: number | null; readonly allowZero: boolean }
  /** An optimizer or objective that is not a name or a call of one. */
  | { readonly kind: 'not-a-call' }
  /** `argument`: the name written (null: a positional one, `position` counted from 1). */
  | { readonly kind: 'no-such-argument'; readonly callee: string; readonly argument: string | null; readonly position: number; readonly allowed: readonly string[]; readonly suggestion?: string }
  /** `expected`: what the argument must be (`positive`, `in [0, 1)`). */
  | { readonly kind: 'bad-argument'; readonly argument: string; readonly found: number | null; readonly expected: string }
  | { readonly kind: 'expectation-arity'; readonly sense: string }
  | { readonly kind: 'unknown-objective'; readonly found: string; readonly allowed: readonly string[]; readonly suggestion?: string }
  /** `note`: the objective's own advice (how to get what the argument was meant for). */
  | { readonly kind: 'objective-takes-no-arguments'; readonly objective: string; readonly note?: string }
  | { readonly kind: 'objective-no-argument'; readonly objective: string; readonly argument: string }
  | { readonly kind: 'unknown-optimizer'; readonly found: string; readonly allowed: readonly string[]; readonly suggestion?: string }
  /** One of a few words (`kl`, `binarize`); `found`: the word written (null: not a word). */
  | { readonly kind: 'not-one-of'; readonly found: string | null; readonly allowed: readonly string[]; readonly suggestion?: string }
  | { readonly kind: 'negative-beta'; readonly found: number }
  | { readonly kind: 'beta-form' }
  | { readonly kind: 'anneal-form' }
  | { readonly kind: 'anneal-range'; readonly from: number | null; readonly to: number | null }
  | { readonly kind: 'anneal-unit'; readonly found: string }
  | { readonly kind: 'anneal-length'; readonly unit: string; readonly found: number | null }
  | { readonly kind: 'free-bits'; readonly found: number | null }
  | { readonly kind: 'classify-site' }
  /** `categories`: the Category data sites declared. */
  | { readonly kind: 'classify-not-category'; readonly site: string; readonly categories: readonly string[]; readonly suggestion?: string }
  | { readonly kind: 'classify-weight'; readonly found: number | null }
  | { readonly kind: 'dataset-form' }
  | { readonly kind: 'labels-form' };

export type TrainProblem =
  /** VAE602 (VAE606 for `classify`): a setting's value; `syntax`: how the setting is written. */
  | { readonly kind: 'bad-setting'; readonly setting: string; readonly syntax: string; readonly problem: SettingValueProblem }
  /** VAE601: `suggestion`: a setting of a near spelling. */
  | { readonly kind: 'unknown-setting'; readonly found: string; readonly settings: readonly string[]; readonly suggestion?: string }
  /** VAE607 */
  | { readonly kind: 'setting-set-twice'; readonly key: string }
  /** VAE602: `kl: analytic` where a site's KL has no closed form (`blocked`: why the closed form does not apply). */
  | { readonly kind: 'kl-not-analytic'; readonly site: string; readonly guideFamily: string; readonly modelFamily: string; readonly blocked?: string }
  /** VAE609: free bits or beta under an objective without a separate KL term. */
  | { readonly kind: 'setting-without-kl'; readonly setting: 'freeBits' | 'beta'; readonly value: number | null; readonly objective: 'iwae' | 'expectation' }
  /** VAE609: free bits act on no site; `sites`: why not, per site. */
  | { readonly kind: 'free-bits-on-no-site'; readonly value: number; readonly sites: readonly { readonly name: string; readonly reason: string }[] }
  /** VAE603 */
  | { readonly kind: 'extends-twice' }
  /** VAE603: the files of the cycle, the first repeated at the end. */
  | { readonly kind: 'extends-cycle'; readonly files: readonly string[] }
  /** VAE605: `looked`: where the file was looked for. */
  | { readonly kind: 'extends-not-found'; readonly path: string; readonly looked: string }
  /** VAE610 */
  | { readonly kind: 'extends-in-set'; readonly path: string }
  /** VAE608 */
  | { readonly kind: 'override-without-extends'; readonly block: string; readonly site: string }
  /** VAE604: `sites`: the extended block's sites (null: it has no such block). */
  | { readonly kind: 'override-unknown-site'; readonly written: string; readonly block: string; readonly sites: readonly string[] | null; readonly suggestion?: string }
  /** VAE604: a `--grid` axis over a const the file does not declare (`consts`: the ones it does). */
  | { readonly kind: 'grid-const-not-declared'; readonly name: string; readonly file: string; readonly consts: readonly string[]; readonly suggestion?: string }
  /** VAE604: the site exists, but no statement of it is written with this index. */
  | { readonly kind: 'override-no-statement'; readonly written: string; readonly site: string; readonly statements: readonly StatementData[] }
  /** VAE611: `example`: a statement's index to name, when the override has none and the statements do. */
  | { readonly kind: 'override-ambiguous'; readonly written: string; readonly block: string; readonly site: string; readonly statements: readonly StatementData[]; readonly example: string | null };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const TRAIN_KINDS: Record<TrainProblem['kind'], true> = {
  'unknown-setting': true,
  'bad-setting': true,
  'setting-set-twice': true,
  'kl-not-analytic': true,
  'setting-without-kl': true,
  'free-bits-on-no-site': true,
  'extends-twice': true,
  'extends-cycle': true,
  'extends-not-found': true,
  'extends-in-set': true,
  'override-without-extends': true,
  'override-unknown-site': true,
  'override-no-statement': true,
  'grid-const-not-declared': true,
  'override-ambiguous': true,
};

/** Setting names from PyTorch and Keras scripts, and what to write instead. */
const KEY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['lr', 'the learning rate is an argument of the optimizer: `optimizer: adam(lr: 1e-3)`'],
  ['learning_rate', 'the learning rate is an argument of the optimizer: `optimizer: adam(lr: 1e-3)`'],
  ['learningRate', 'the learning rate is an argument of the optimizer: `optimizer: adam(lr: 1e-3)`'],
  ['momentum', 'momentum is an argument of the optimizer: `optimizer: sgd(lr: 0.01, momentum: 0.9)`'],
  ['batch_size', 'did you mean `batch`?'],
  ['batchSize', 'did you mean `batch`?'],
  ['num_epochs', 'did you mean `epochs`?'],
  ['n_epochs', 'did you mean `epochs`?'],
  ['k', 'the number of importance samples is an argument of the objective: `objective: iwae(k: 5)`'],
  ['num_particles', 'did you mean `particles`?'],
  ['samples', 'did you mean `particles`? (or `objective: iwae(k: 5)` for the importance-weighted bound)'],
  ['loss', 'did you mean `objective`?'],
  ['data', 'did you mean `dataset`?'],
  ['estimator', 'estimators are annotations on guide sites, e.g. `z ~ Normal(q.loc, q.scale) @reparam`'],
]);


/** `\`z[0]\``, `\`z[t]\` (in \`for t in 1..T\`)`. */
function statement(r: StatementData): string {
  const head = `\`${r.site}${r.index !== null ? `[${r.index}]` : ''}\``;
  return r.loop ? `${head} (in \`for ${r.loop.variable} in ${r.loop.from}..${r.loop.to}\`)` : head;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `a`, `a or b`, `a, b or c`. */
function either(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const mean = (suggestion: string | undefined): string | undefined => (suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`);

/** The message after `invalid \`key\`: ` and the hint, if the value problem has its own. */
function renderSettingValue(p: SettingValueProblem): Rendered {
  switch (p.kind) {
    case 'value-count':
      return rendered(`expected one value, found ${p.found}`);
    case 'not-an-integer':
      return rendered(`expected a ${p.allowZero ? 'non-negative' : 'positive'} integer`);
    case 'not-a-call':
      return rendered('expected a name such as `adam(lr: 1e-3)`');
    case 'no-such-argument':
      return rendered(
        `\`${p.callee}\` has no argument ${p.argument !== null ? `\`${p.argument}\`` : `number ${p.position}`}`,
        mean(p.suggestion) ?? `its arguments are: ${p.allowed.join(', ') || 'none'}`,
      );
    case 'bad-argument':
      return rendered(`\`${p.argument}\` must be ${p.expected}`);
    case 'expectation-arity':
      return rendered(`\`${p.sense}\` takes one expression of guide sites`, 'for example `objective: minimize(square(x))`');
    case 'unknown-objective':
      return rendered(`unknown objective \`${p.found}\``, mean(p.suggestion) ?? 'choose `elbo`, `iwae(k: 5)` or `minimize(f)`');
    case 'objective-takes-no-arguments':
      return rendered(`\`${p.objective}\` takes no arguments${p.note ? `; ${p.note}` : ''}`);
    case 'objective-no-argument':
      return rendered(`\`${p.objective}\` has no argument \`${p.argument}\``);
    case 'unknown-optimizer':
      return rendered(`unknown optimizer \`${p.found}\``, mean(p.suggestion) ?? `choose ${either(p.allowed)}`);
    case 'not-one-of':
      return rendered(`expected ${either(p.allowed.map((a) => `\`${a}\``))}`, mean(p.suggestion));
    case 'negative-beta':
      return rendered('β must be non-negative');
    case 'beta-form':
      return rendered('expected a number or `anneal(from -> to, epochs: E)`');
    case 'anneal-form':
      return rendered('expected `anneal(from -> to, epochs: E)`', 'for example `beta: anneal(0 -> 1, epochs: 10)`');
    case 'anneal-range':
      return rendered('the β range must be two non-negative numbers');
    case 'anneal-unit':
      return rendered(`expected \`epochs:\` or \`steps:\`, found \`${p.found}:\``);
    case 'anneal-length':
      return rendered(`\`${p.unit}\` must be positive`);
    case 'free-bits':
      return rendered('free bits must be a non-negative number of nats');
    case 'classify-site':
      return rendered('expected the name of a Category data site', 'write `classify: y weight 46`');
    case 'classify-not-category':
      return rendered(`\`${p.site}\` is not a Category data declaration`, mean(p.suggestion) ?? 'declare it, e.g. `data y: Category[10]?`');
    case 'classify-weight':
      return rendered('expected `classify: y weight α` with α ≥ 0');
    case 'dataset-form':
      return rendered('expected a dataset name or a quoted path', 'for example `dataset: binarized-mnist` or `dataset: "data/x.npy"`');
    case 'labels-form':
      return rendered('expected `labels: N per class` or `labels: all`');
  }
}

export function renderTrain(p: TrainProblem): Rendered {
  switch (p.kind) {
    case 'bad-setting': {
      const r = renderSettingValue(p.problem);
      return rendered(`invalid \`${p.setting}\`: ${r.message}`, r.hint ?? `write ${p.syntax}`);
    }
    case 'unknown-setting':
      return rendered(`unknown train setting \`${p.found}\``, KEY_ALIASES.get(p.found) ?? (p.suggestion !== undefined ? `did you mean \`${p.suggestion}\`?` : `the settings are: ${p.settings.join(', ')}`));
    case 'setting-set-twice':
      return rendered(`\`${p.key}\` is set twice; the last value wins`, 'remove one of them');
    case 'kl-not-analytic':
      return rendered(
        p.blocked !== undefined
          ? `\`kl: analytic\` but the KL of \`${p.site}\` cannot be analytic: ${p.blocked}`
          : `\`kl: analytic\` but \`${p.site}\` has no closed-form KL (${p.guideFamily} against ${p.modelFamily})`,
        'use `kl: auto` to fall back to a sampled KL for this site',
      );
    case 'setting-without-kl': {
      const what = p.objective === 'iwae' ? 'the iwae bound has no separate KL term' : 'an expectation objective has no KL term';
      return rendered(`\`${p.setting === 'freeBits' ? `freeBits: ${p.value}` : 'beta'}\` has no effect: ${what}`, `remove \`${p.setting}\`, or train with \`objective: elbo\``);
    }
    case 'free-bits-on-no-site':
      return rendered(
        `\`freeBits: ${p.value}\` acts on no latent site (${p.sites.map((s) => `\`${s.name}\`: ${s.reason}`).join('; ')})`,
        'free bits need a per-dimension KL with a gradient: a reparameterized site, or a closed-form KL',
      );
    case 'extends-twice':
      return rendered('a file can extend only one other file', 'remove one `extends`; to combine two files, let one of them extend the other');
    case 'extends-cycle':
      return rendered(`\`extends\` forms a cycle: ${p.files.join(' -> ')}`, 'a file cannot extend itself, directly or through others');
    case 'extends-not-found':
      return rendered(`cannot read \`${p.path}\``, `the path is relative to this file; looked for ${p.looked}`);
    case 'extends-in-set':
      return rendered('`extends` cannot be given with --set', `write a file that starts with \`extends "${p.path}"\` and check or train that file`);
    case 'override-without-extends':
      return rendered(`\`${p.block}.${p.site} ~ ...\` overrides a site, but this file extends nothing`, `add \`extends "base.vae"\`, or write the site inside \`${p.block} { ... }\``);
    case 'override-unknown-site':
      return rendered(
        `\`${p.written}\` does not exist in the program being extended`,
        p.suggestion !== undefined ? `did you mean \`${p.suggestion}\`?` : p.sites && p.sites.length ? `the ${p.block}'s sites are: ${p.sites.join(', ')}` : `the extended program has no ${p.block} block`,
      );
    case 'grid-const-not-declared':
      return rendered(
        `\`const ${p.name}\` is not declared in ${p.file}, so this grid axis would change nothing`,
        p.suggestion !== undefined ? `did you mean \`${p.suggestion}\`?` : p.consts.length > 0 ? `${p.file} declares: ${p.consts.join(', ')}` : `${p.file} declares no constants`,
      );
    case 'override-no-statement':
      return rendered(
        `\`${p.written}\` does not match a statement of \`${p.site}\` in the program being extended`,
        `\`${p.site}\` is written ${listed(p.statements.map(statement))}: override one of these by its index as written (one step inside a loop cannot be overridden alone)`,
      );
    case 'override-ambiguous':
      return rendered(
        `\`${p.written}\` is ambiguous: \`${p.site}\` is written in ${p.statements.length} statements: ${listed(p.statements.map(statement))}`,
        p.example === null ? `replace the whole \`${p.block} { ... }\` block instead` : `name the statement by its index as written, e.g. \`${p.block}.${p.site}[${p.example}] ~ ...\``,
      );
  }
}
