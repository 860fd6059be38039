/**
 * The schema of a checkpoint's files, checked on load so that a checkpoint is used whole or not
 * at all: every failure is a CheckpointError (VAE703) naming the file and what is wrong in it.
 *
 *  - weights.json / optimizer.json: a list of {name, shape, dtype} (tf.io's manifest entries),
 *    names unique, shapes of non-negative integers, dtype float32 or int32;
 *    weights.bin / optimizer.bin hold exactly the bytes the list describes.
 *  - state.json: the trainer state (TrainerStateRecord), every field of its type.
 *  - program.json: the program's sources (ProgramRecord).
 *  - manifest.json: each file's byte length and SHA-256, so a flipped byte that still parses is
 *    found too (checked after the structure, whose messages are more specific).
 *
 * Decoded tensors are checked for NaN and ±Inf: such weights cannot train or evaluate.
 */
import { createHash } from 'node:crypto';
import { OBJECTIVES, parseObjectiveText } from '../dsl/objectives';
import { CheckpointError, CORRUPT_HINT } from './checkpoint-error';

export { CheckpointError, CORRUPT_HINT };

export interface ManifestEntry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: Json): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const isCount = (v: Json): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Parses a JSON file's text; a CheckpointError when it is not JSON. */
export function parseJsonFile(file: string, text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new CheckpointError(`${file} is not valid JSON${text.length === 0 ? ' (it is empty)' : ''}`, CORRUPT_HINT);
  }
}

/** Checks a weights manifest (weights.json, optimizer.json) and returns its entries. */
export function checkManifest(file: string, v: Json): ManifestEntry[] {
  const bad = (what: string): never => {
    throw new CheckpointError(`${file}: ${what}`, CORRUPT_HINT);
  };
  if (!Array.isArray(v)) bad(`expected a list of {name, shape, dtype}, found ${kindOf(v)}`);
  const seen = new Set<string>();
  return (v as Json[]).map((e, i) => {
    if (!isObject(e)) return bad(`entry ${i + 1} should be {name, shape, dtype}, found ${kindOf(e)}`);
    if (typeof e['name'] !== 'string' || e['name'] === '') return bad(`entry ${i + 1} has no name (found ${kindOf(e['name'])})`);
    const name = e['name'];
    if (seen.has(name)) bad(`\`${name}\` appears twice`);
    seen.add(name);
    const shape = e['shape'];
    if (!Array.isArray(shape) || !shape.every(isCount)) return bad(`\`${name}\` has shape ${JSON.stringify(shape) ?? 'undefined'}, expected a list of non-negative integers`);
    if (e['dtype'] !== 'float32' && e['dtype'] !== 'int32') return bad(`\`${name}\` has dtype ${JSON.stringify(e['dtype']) ?? 'undefined'}, expected "float32" or "int32"`);
    return { name, shape: shape as number[], dtype: e['dtype'] };
  });
}

/** The bytes a manifest's tensors take (4 per element for float32 and int32). */
export function manifestBytes(entries: readonly ManifestEntry[]): number {
  return entries.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
}

/** Checks state.json (a TrainerStateRecord). */
export function checkState(v: Json): void {
  const bad = (what: string): never => {
    throw new CheckpointError(`state.json: ${what}`, CORRUPT_HINT);
  };
  if (!isObject(v)) bad(`expected an object, found ${kindOf(v)}`);
  const s = v as Record<string, Json>;
  if (s['version'] !== 1) bad(`unknown version ${JSON.stringify(s['version']) ?? '(none)'}; this vaelang reads version 1 (it was written by another version of vaelang, or it is corrupt)`);
  for (const k of ['step', 'epoch', 'stepInEpoch', 'seed', 'epochsSinceBest'] as const) {
    if (!isCount(s[k])) bad(`\`${k}\` should be a non-negative integer, found ${kindOf(s[k])}`);
  }
  if (!isObject(s['baselines']) || !Object.values(s['baselines']).every((x) => typeof x === 'number')) bad(`\`baselines\` should map names to numbers, found ${kindOf(s['baselines'])}`);
  if (s['bestValid'] !== null && typeof s['bestValid'] !== 'number') bad(`\`bestValid\` should be a number or null, found ${kindOf(s['bestValid'])}`);
  const cfg = s['config'];
  if (!isObject(cfg) || !isObject(cfg['config']) || !isObject(cfg['origin'])) bad(`\`config\` should be {config, origin}, found ${kindOf(cfg)}`);
  const c = (cfg as Record<string, Record<string, Json>>)['config']!;
  for (const k of ['batch', 'epochs', 'particles', 'seed'] as const) if (!isCount(c[k]) || (k !== 'seed' && c[k] === 0)) bad(`\`config.${k}\` should be a positive integer, found ${kindOf(c[k])}`);
  if (c['steps'] !== null && !isCount(c['steps'])) bad(`\`config.steps\` should be a positive integer or null, found ${kindOf(c['steps'])}`);
  for (const k of ['objective', 'optimizer'] as const) if (!isObject(c[k]) || typeof c[k]['kind'] !== 'string') bad(`\`config.${k}\` should be an object with a kind, found ${kindOf(c[k])}`);
  const d = s['data'];
  if (!isObject(d) || typeof d['source'] !== 'string') bad(`\`data\` should be {source, ...}, found ${kindOf(d)}`);
  const data = d as Record<string, Json>;
  for (const k of ['limit', 'valid'] as const) if (data[k] !== undefined && !isCount(data[k])) bad(`\`data.${k}\` should be a non-negative integer, found ${kindOf(data[k])}`);
  if (data['labeledIndices'] !== undefined && !(Array.isArray(data['labeledIndices']) && data['labeledIndices'].every(isCount))) bad('`data.labeledIndices` should be a list of example indices');
  if (data['hashes'] !== undefined && !(isObject(data['hashes']) && Object.values(data['hashes']).every((h) => typeof h === 'string'))) bad('`data.hashes` should map files to SHA-256 hashes');
}

/**
 * The short forms of the objectives registry (src/dsl/objectives.ts), as a run record writes
 * them: `elbo, iwae:K`. program.json's objective is read with the registry's parser, so a record
 * passes here exactly when it can be read.
 */
const OBJECTIVE_FORMS = [...OBJECTIVES.values()].map((d) => (d.args[0] ? `${d.name}:${d.args[0].name.toUpperCase()}` : d.name)).join(', ');

/** Checks program.json (a ProgramRecord). */
export function checkProgram(v: Json): void {
  const bad = (what: string): never => {
    throw new CheckpointError(`program.json: ${what}`, CORRUPT_HINT);
  };
  if (!isObject(v)) bad(`expected an object, found ${kindOf(v)}`);
  const p = v as Record<string, Json>;
  if (typeof p['root'] !== 'string') bad(`\`root\` should be the program's file name, found ${kindOf(p['root'])}`);
  if (!isObject(p['sources']) || !Object.values(p['sources']).every((t) => typeof t === 'string')) bad(`\`sources\` should map file names to their text, found ${kindOf(p['sources'])}`);
  if (!Array.isArray(p['sets']) || !p['sets'].every((t) => typeof t === 'string')) bad(`\`sets\` should be a list of --set fragments, found ${kindOf(p['sets'])}`);
  if (!isObject(p['estimators']) || !Object.values(p['estimators']).every((t) => typeof t === 'string')) bad(`\`estimators\` should map sites to estimators, found ${kindOf(p['estimators'])}`);
  if (p['objective'] !== null && !(typeof p['objective'] === 'string' && parseObjectiveText(p['objective'])?.ok === true)) bad(`\`objective\` should be ${OBJECTIVE_FORMS} or null, found ${kindOf(p['objective'])}`);
  if (!Object.prototype.hasOwnProperty.call(p['sources'], p['root'] as string)) bad(`\`sources\` has no text for the root file '${String(p['root'])}'`);
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

/** manifest.json's contents for a checkpoint's files. */
export function makeManifest(files: Readonly<Record<string, string | Uint8Array>>): { version: 1; files: Record<string, FileDigest> } {
  const out: Record<string, FileDigest> = {};
  for (const [name, data] of Object.entries(files)) out[name] = { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256(data) };
  return { version: 1, files: out };
}

/** Checks the files named in `only` against manifest.json: the same byte lengths and hashes. */
export function checkDigests(v: Json, read: (file: string) => Uint8Array | undefined, only: readonly string[]): void {
  if (!isObject(v) || v['version'] !== 1 || !isObject(v['files'])) throw new CheckpointError(`manifest.json: expected {version: 1, files}, found ${kindOf(v)}`, CORRUPT_HINT);
  for (const file of only) if (!Object.prototype.hasOwnProperty.call(v['files'], file)) throw new CheckpointError(`manifest.json does not list ${file}`, CORRUPT_HINT);
  for (const [file, d] of Object.entries(v['files'])) {
    if (!only.includes(file)) continue;
    if (!isObject(d) || !isCount(d['bytes']) || typeof d['sha256'] !== 'string') throw new CheckpointError(`manifest.json: the entry of ${file} should be {bytes, sha256}`, CORRUPT_HINT);
    const data = read(file);
    if (data === undefined) throw CheckpointError.of({ kind: 'checkpoint-file-missing', file, manifest: true });
    if (data.byteLength !== d['bytes']) throw CheckpointError.of({ kind: 'checkpoint-size-mismatch', file, bytes: data.byteLength, expected: d['bytes'] });
    if (sha256(data) !== d['sha256']) throw CheckpointError.of({ kind: 'checkpoint-hash-mismatch', file });
  }
}

/** Throws when a decoded float tensor holds NaN or ±Inf. */
export function checkFinite(file: string, name: string, values: ArrayLike<number>): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) nan++;
    else if (!Number.isFinite(x)) inf++;
  }
  if (nan + inf === 0) return;
  const what = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
  throw new CheckpointError(`${file}: \`${name}\` holds ${what} value${nan + inf === 1 ? '' : 's'} (of ${values.length})`, 'such weights cannot train or evaluate: the run diverged or the file is corrupt; retrain (a smaller --lr may help), or use an earlier run');
}
