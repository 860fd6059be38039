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

export type TrainProblem =
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

export function renderTrain(p: TrainProblem): Rendered {
  switch (p.kind) {
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
