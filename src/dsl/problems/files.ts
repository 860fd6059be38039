/**
 * VAE7xx, data, files and command-line values: the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type FileProblem =
  /** VAE701: the program file cannot be read (`missing`: no such file). */
  | { readonly kind: 'program-file-unreadable'; readonly file: string; readonly reason: 'missing' | 'directory' | 'unreadable' }
  /** VAE704: an estimator name the registry does not have. */
  | { readonly kind: 'unknown-estimator'; readonly site: string; readonly found: string; readonly expected: readonly string[] }
  /** VAE702: a data file the file system refused (`errno`: ENOENT, EACCES, ...; `cwd`: where relative paths start). */
  | { readonly kind: 'data-file-system'; readonly file: string; readonly verb: 'read' | 'write'; readonly errno: string; readonly cwd: string }
  /** VAE703: the run directory does not exist. */
  | { readonly kind: 'checkpoint-no-directory'; readonly dir: string }
  /** VAE703: a checkpoint file is missing (`manifest`: manifest.json lists it). */
  | { readonly kind: 'checkpoint-file-missing'; readonly file: string; readonly manifest: boolean }
  /** VAE703: a checkpoint file's size differs from what manifest.json records. */
  | { readonly kind: 'checkpoint-size-mismatch'; readonly file: string; readonly bytes: number; readonly expected: number }
  /** VAE703: a checkpoint file's SHA-256 differs from manifest.json's. */
  | { readonly kind: 'checkpoint-hash-mismatch'; readonly file: string }
  /** VAE703: a weight of the program has another shape in the checkpoint. */
  | { readonly kind: 'checkpoint-weight-shape'; readonly weight: string; readonly found: readonly number[]; readonly expected: readonly number[] }
  /** VAE704: `--estimator site=kind` for a site the guide does not have; `sites` are the guide's. */
  | { readonly kind: 'unknown-override-site'; readonly site: string; readonly estimator: string; readonly sites: readonly string[] }
  /** VAE704: a flag's value as written (`found`) that is not the number `expected`. */
  | { readonly kind: 'bad-flag-number'; readonly flag: string; readonly found: string; readonly expected: 'positive integer' | 'positive number' | 'non-negative integer' }
  /** VAE704: an `--estimator` item not of the form `site=kind`. */
  | { readonly kind: 'bad-estimator-flag'; readonly found: string }
  /** VAE704: an `--objective` not of a short form (`elbo`, `iwae`, `iwae:K`), or with a bad argument. */
  | { readonly kind: 'bad-objective-flag'; readonly found: string };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const FILE_KINDS: Record<FileProblem['kind'], true> = {
  'program-file-unreadable': true,
  'unknown-estimator': true,
  'unknown-override-site': true,
  'bad-flag-number': true,
  'bad-estimator-flag': true,
  'bad-objective-flag': true,
  'data-file-system': true,
  'checkpoint-no-directory': true,
  'checkpoint-file-missing': true,
  'checkpoint-size-mismatch': true,
  'checkpoint-hash-mismatch': true,
  'checkpoint-weight-shape': true,
};

/** The hint for a corrupt checkpoint. */
export const CORRUPT_HINT = 'the checkpoint is corrupt or was edited; retrain, or use a copy of the run made before';

/** Why a system call failed, in words, and what to do, by errno code (`verb`: what was tried). */
function fileSystemReason(errno: string, verb: 'read' | 'write', cwd: string): [string, string] {
  const what: Record<string, [string, string]> = {
    ENOENT: ['no such file', verb === 'read' ? `check the path; relative paths are resolved from ${cwd}` : 'check that the directory exists'],
    EACCES: ['permission denied', 'check the file permissions'],
    EPERM: ['permission denied', 'check the file permissions'],
    EISDIR: ['it is a directory', 'name a file inside it'],
    ENOTDIR: ['a parent of it is not a directory', 'check the path'],
    ENOSPC: ['no space left on the device', 'free some disk space'],
    EROFS: ['the file system is read-only', 'choose a writable location'],
  };
  return what[errno] ?? [errno === '' ? 'unknown I/O failure' : `I/O failure (${errno})`, 'check the path and try again'];
}

export function renderFiles(p: FileProblem): Rendered {
  switch (p.kind) {
    case 'program-file-unreadable': {
      const reason = p.reason === 'missing' ? 'no such file' : p.reason === 'directory' ? 'it is a directory' : 'it cannot be read';
      return rendered(`cannot read \`${p.file}\`: ${reason}`, 'check the path; model files usually live in models/, e.g. models/vae.vae');
    }
    case 'unknown-estimator':
      return rendered(`unknown estimator \`${p.found}\` for \`${p.site}\``, `the estimators are: ${p.expected.join(', ')}`);
    case 'data-file-system': {
      const [reason, hint] = fileSystemReason(p.errno, p.verb, p.cwd);
      return rendered(`cannot ${p.verb} '${p.file}': ${reason}`, hint);
    }
    case 'checkpoint-no-directory':
      return rendered(`no such directory '${p.dir}'`, 'give the run directory printed by `vae train` (e.g. runs/vae-20261121-1200)');
    case 'checkpoint-file-missing':
      return rendered(`the checkpoint is missing ${p.file}${p.manifest ? ' (listed in manifest.json)' : ''}`, CORRUPT_HINT);
    case 'checkpoint-size-mismatch':
      return rendered(`${p.file} holds ${p.bytes} bytes but manifest.json records ${p.expected}`, CORRUPT_HINT);
    case 'checkpoint-hash-mismatch':
      return rendered(`${p.file} differs from what was saved (its SHA-256 does not match manifest.json)`, CORRUPT_HINT);
    case 'checkpoint-weight-shape':
      return rendered(`\`${p.weight}\` has shape [${p.found.join(', ')}] in the checkpoint but [${p.expected.join(', ')}] in the program`, 'the program changed since the checkpoint was written');
    case 'unknown-override-site':
      return rendered(`--estimator ${p.site}=${p.estimator}: the guide has no site \`${p.site}\``, `the guide's sites are: ${p.sites.join(', ') || 'none'}`);
    case 'bad-flag-number':
      return rendered(`invalid ${p.flag} '${p.found}'`, `${p.flag} takes a ${p.expected}`);
    case 'bad-estimator-flag':
      return rendered(`invalid --estimator '${p.found}'`, 'write --estimator site=kind, e.g. --estimator y=score');
    case 'bad-objective-flag':
      return rendered(`invalid --objective '${p.found}'`, 'use elbo, iwae or iwae:K (e.g. iwae:5)');
  }
}
