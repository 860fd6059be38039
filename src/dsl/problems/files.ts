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
  | { readonly kind: 'bad-objective-flag'; readonly found: string }
  /** VAE702: a `.npy` header that cannot be read (`fault`: which part; `found`: what was there, as shown). */
  | { readonly kind: 'npy-header'; readonly file: string; readonly fault: NpyHeaderFault; readonly found?: string; readonly declared?: number }
  /** VAE702: a `.npy` dtype (`found`, the header's descr) that is not a plain number type. */
  | { readonly kind: 'npy-dtype'; readonly file: string; readonly found: string }
  /** VAE702: a `.npy` array of rank >= 2 in Fortran (column-major) order. */
  | { readonly kind: 'npy-fortran-order'; readonly file: string }
  /** VAE702: an array file whose data bytes (`found`) differ from what its header's shape needs (`expected`); `dtype` as the header names it. */
  | { readonly kind: 'array-data-length'; readonly file: string; readonly format: 'npy' | 'idx'; readonly shape: readonly number[]; readonly dtype: string; readonly expected: number; readonly found: number }
  /** VAE702: a 64-bit or unsigned `.npy` integer (`found`, in decimal) outside int32 at flat `index`. */
  | { readonly kind: 'npy-int32-range'; readonly file: string; readonly dtype: string; readonly found: string; readonly index: number }
  /** VAE702: an IDX header that cannot be read (`found`: what was there, as shown; `declared`: the dimension count). */
  | { readonly kind: 'idx-header'; readonly file: string; readonly fault: IdxHeaderFault; readonly found: string; readonly declared?: number }
  /** VAE702: a CSV file given where a single array (.npy or IDX) is expected. */
  | { readonly kind: 'array-file-is-csv'; readonly file: string }
  /** VAE702: a file that starts like neither a .npy nor an IDX file (`npz`: named .npz). */
  | { readonly kind: 'array-file-unknown-format'; readonly file: string; readonly npz: boolean }
  /** VAE702: a quote inside an unquoted CSV field (`line`, `column`: 1-based). */
  | { readonly kind: 'csv-quote-in-field'; readonly file: string; readonly line: number; readonly column: number }
  /** VAE702: text after a closing quote in a CSV field. */
  | { readonly kind: 'csv-text-after-quote'; readonly file: string; readonly line: number; readonly column: number }
  /** VAE702: a CSV file that ends inside a quoted field opened on `line`. */
  | { readonly kind: 'csv-unclosed-quote'; readonly file: string; readonly line: number }
  /** VAE702: a CSV file without even a header row. */
  | { readonly kind: 'csv-empty'; readonly file: string }
  /** VAE702: a CSV header with an empty name in `column`. */
  | { readonly kind: 'csv-empty-column-name'; readonly file: string; readonly line: number; readonly column: number }
  /** VAE702: a CSV header naming a column (`found`) a second time, in `column`. */
  | { readonly kind: 'csv-duplicate-column'; readonly file: string; readonly line: number; readonly column: number; readonly found: string }
  /** VAE702: a CSV record with `found` fields where the header has `expected`. */
  | { readonly kind: 'csv-field-count'; readonly file: string; readonly line: number; readonly found: number; readonly expected: number }
  /** VAE702: an unnamed CSV table whose `found` columns are not the `size` values per example of the one `site`. */
  | { readonly kind: 'csv-column-count'; readonly file: string; readonly site: string; readonly size: number; readonly found: number }
  /** VAE702: a site's column (`missing`) absent from the CSV header (`columns`, on `line`). */
  | { readonly kind: 'csv-missing-column'; readonly file: string; readonly line: number; readonly site: string; readonly size: number; readonly missing: string; readonly columns: readonly string[] }
  /** VAE702: a CSV cell (`found`) in column `header` that is not the `expected` value. */
  | { readonly kind: 'csv-bad-cell'; readonly file: string; readonly line: number; readonly column: number; readonly header: string; readonly found: string; readonly expected: 'integer' | 'number' };

/** The part of a `.npy` header at fault. */
export type NpyHeaderFault = 'magic' | 'truncated' | 'version' | 'length' | 'structured' | 'no-descr' | 'no-fortran-order' | 'no-shape' | 'dimensions';

/** The part of an IDX header at fault. */
export type IdxHeaderFault = 'short' | 'magic' | 'type-code' | 'no-dimensions' | 'length';

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
  'npy-header': true,
  'npy-dtype': true,
  'npy-fortran-order': true,
  'array-data-length': true,
  'npy-int32-range': true,
  'idx-header': true,
  'array-file-is-csv': true,
  'array-file-unknown-format': true,
  'csv-quote-in-field': true,
  'csv-text-after-quote': true,
  'csv-unclosed-quote': true,
  'csv-empty': true,
  'csv-empty-column-name': true,
  'csv-duplicate-column': true,
  'csv-field-count': true,
  'csv-column-count': true,
  'csv-missing-column': true,
  'csv-bad-cell': true,
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

const NPY_SAVE_HINT = 'save the array with numpy.save';
const INCOMPLETE_HINT = 'the file is incomplete; save or copy it again';
const IDX_HINT = 'IDX files start with 00 00 <type> <ndims>, as in MNIST';

/** What is wrong with a `.npy` header, in words, and the hint. */
function npyHeaderText(p: Extract<FileProblem, { kind: 'npy-header' }>): [string, string] {
  switch (p.fault) {
    case 'magic':
      return ['expected the magic string \\x93NUMPY at the start, found something else', NPY_SAVE_HINT];
    case 'truncated':
      return ['the header is truncated', INCOMPLETE_HINT];
    case 'version':
      return [`expected format version 1, 2 or 3, found ${p.found ?? ''}`, NPY_SAVE_HINT];
    case 'length':
      return [`the header declares ${p.declared ?? 0} bytes but the file ends after ${p.found ?? ''}`, INCOMPLETE_HINT];
    case 'structured':
      return ['expected a plain numeric dtype, found a structured dtype', 'save each field as its own array'];
    case 'no-descr':
      return [`expected a 'descr' entry in the header, found ${p.found ?? ''}`, NPY_SAVE_HINT];
    case 'no-fortran-order':
      return ["expected a 'fortran_order' entry in the header", NPY_SAVE_HINT];
    case 'no-shape':
      return ["expected a 'shape' tuple in the header", NPY_SAVE_HINT];
    case 'dimensions':
      return [`expected non-negative integer dimensions, found (${p.found ?? ''})`, NPY_SAVE_HINT];
  }
}

/** What is wrong with an IDX header, in words, and the hint. */
function idxHeaderText(p: Extract<FileProblem, { kind: 'idx-header' }>): [string, string] {
  switch (p.fault) {
    case 'short':
      return [`expected a 4-byte magic number, found ${p.found} bytes`, IDX_HINT];
    case 'magic':
      return [`expected the magic number to start with 00 00, found ${p.found}`, IDX_HINT];
    case 'type-code':
      return [`expected a type code 08, 09, 0b, 0c, 0d or 0e, found ${p.found}`, IDX_HINT];
    case 'no-dimensions':
      return [`expected at least one dimension, found ${p.found}`, IDX_HINT];
    case 'length': {
      const ndims = p.declared ?? 0;
      return [`the header declares ${ndims} dimensions (${4 + 4 * ndims} header bytes) but the file has only ${p.found} bytes`, 'the file is truncated; copy or download it again'];
    }
  }
}

/** A shape as the data messages show it: `[28, 28]`. */
function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The column names a CSV site takes: `'y'`, `'x[0]', 'x[1]'`, `'x[0]' ... 'x[783]'`. */
function siteColumnNames(site: string, size: number): string {
  if (size === 1) return `'${site}'`;
  if (size === 2) return `'${site}[0]', '${site}[1]'`;
  return `'${site}[0]' ... '${site}[${size - 1}]'`;
}

/** A CSV header as messages list it: the first 12 names, then the count. */
function columnList(header: readonly string[]): string {
  const shown = header.slice(0, 12).join(', ');
  return header.length > 12 ? `${shown}, ... (${header.length} in all)` : shown;
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
    case 'npy-header': {
      const [what, hint] = npyHeaderText(p);
      return rendered(`'${p.file}' is not a valid .npy file: ${what}`, hint);
    }
    case 'npy-dtype': {
      const d = p.found;
      const obj = d.includes('O') ? ' (Python objects)' : d.includes('U') || d.includes('S') ? ' (strings)' : '';
      return rendered(
        `'${p.file}' has dtype '${d}'${obj}; expected one of bool, uint8, int8, int16, uint16, int32, uint32, int64, uint64, float16, float32, float64`,
        'convert it with arr.astype(np.float32) (or np.int32 for labels) before saving',
      );
    }
    case 'npy-fortran-order':
      return rendered(`'${p.file}' is stored in Fortran (column-major) order; expected C (row-major) order`, 'save it with np.save(path, np.ascontiguousarray(arr))');
    case 'array-data-length': {
      const short = p.found < p.expected;
      const dtype = p.format === 'npy' ? `'${p.dtype}'` : p.dtype;
      const hint = short
        ? p.format === 'npy' ? INCOMPLETE_HINT : 'the file is incomplete; copy or download it again'
        : p.format === 'npy' ? 'the file may be corrupt; save it again with numpy.save' : 'the file may be corrupt or not an IDX file';
      return rendered(`'${p.file}' is ${short ? 'truncated' : 'longer than its header says'}: shape ${shapeText(p.shape)} of ${dtype} needs ${p.expected} data bytes, found ${p.found}`, hint);
    }
    case 'npy-int32-range':
      return rendered(
        `'${p.file}' holds '${p.dtype}' values outside the int32 range: ${p.found} at flat index ${p.index}`,
        'vaelang stores integers as int32; store labels as int32 (arr.astype(np.int32)) or reals as float32',
      );
    case 'idx-header': {
      const [what, hint] = idxHeaderText(p);
      return rendered(`'${p.file}' is not a valid IDX file: ${what}`, hint);
    }
    case 'array-file-is-csv':
      return rendered(`'${p.file}' is a CSV file; expected a single array here (.npy or IDX)`, 'CSV columns are matched to data sites by name; read it with readCsvSites');
    case 'array-file-unknown-format':
      return rendered(
        `'${p.file}' is neither a .npy nor an IDX file (it starts with neither \\x93NUMPY nor 00 00)`,
        p.npz ? '.npz archives are not supported; save each array with numpy.save' : 'save arrays with numpy.save, or use a CSV file with a header',
      );
    case 'csv-quote-in-field':
      return rendered(`line ${p.line} of '${p.file}' has a quote inside an unquoted field; expected quotes only around a whole field`, 'quote the whole field and double any quote inside it ("")');
    case 'csv-text-after-quote':
      return rendered(`line ${p.line} of '${p.file}' has text after a closing quote; expected a comma or the end of the line`, 'double any quote inside a quoted field ("")');
    case 'csv-unclosed-quote':
      return rendered(`'${p.file}' ends inside a quoted field that starts on line ${p.line}; expected a closing quote`, 'close the quote, or double any quote inside the field ("")');
    case 'csv-empty':
      return rendered(`'${p.file}' is empty; expected a header row naming the columns`, 'add a header such as x[0],x[1],y');
    case 'csv-empty-column-name':
      return rendered(`the header of '${p.file}' has an empty name in column ${p.column}; expected every column to be named`);
    case 'csv-duplicate-column':
      return rendered(`the header of '${p.file}' names column '${p.found}' twice`, 'rename one of them');
    case 'csv-field-count':
      return rendered(`line ${p.line} of '${p.file}' has ${p.found} fields; expected ${p.expected} as in the header`, 'quote fields that contain commas');
    case 'csv-column-count': {
      const names = siteColumnNames(p.site, p.size);
      return rendered(
        `'${p.file}' has ${p.found} columns but site ${p.site} takes ${p.size} values per example; expected ${p.size} columns (or columns named ${names})`,
        `name the columns ${names}, or fix the declared size of ${p.site}`,
      );
    }
    case 'csv-missing-column':
      return rendered(
        `'${p.file}' has no column '${p.missing}' for site ${p.site} (${p.size} value${p.size === 1 ? '' : 's'} per example); found columns ${columnList(p.columns)}`,
        `name the columns of ${p.site} ${siteColumnNames(p.site, p.size)}`,
      );
    case 'csv-bad-cell':
      return rendered(
        `line ${p.line} of '${p.file}', column '${p.header}': expected ${p.expected === 'integer' ? 'an integer label' : 'a number'}, found '${p.found}'`,
        'leave the cell empty for a missing value',
      );
  }
}
