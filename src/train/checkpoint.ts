/**
 * Checkpoints: the weights (tfjs's weights format via tf.io.encodeWeights, no hand-rolled
 * binary), the optimizer state, the trainer state (step, epoch, baselines, best validation
 * score), and the program's sources, so `vae eval DIR` and `--resume DIR` rebuild exactly the
 * same program. A checkpoint is written to a temporary directory and renamed into place, so a
 * crash never leaves a half-written one; the previous checkpoint survives until the new one is
 * complete; the next start of the run finishes or undoes an interrupted save
 * (recoverInterruptedSave). Loading is all-or-nothing: every file is checked against its schema
 * and manifest.json's hashes (checkpoint-schema.ts) before anything is used.
 *
 * Layout: DIR/checkpoint/{weights.json, weights.bin, optimizer.json, optimizer.bin, state.json,
 * program.json, manifest.json}
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceDirAtomic } from '../core/atomic-file';
import { CheckpointError, checkDigests, checkFinite, checkManifest, checkProgram, checkState, CORRUPT_HINT, makeManifest, manifestBytes, parseJsonFile } from './checkpoint-schema';

import type { NamedTensor } from './named-tensor';

export type { NamedTensor };

export { CheckpointError };

export interface ProgramRecord {
  /** The root file as it was given (display path). */
  readonly root: string;
  /** Every source the program was loaded from, by display path. */
  readonly sources: Readonly<Record<string, string>>;
  readonly sets: readonly string[];
  readonly estimators: Readonly<Record<string, string>>;
  readonly objective: string | null;
}

export interface TrainerStateRecord {
  readonly version: 1;
  readonly step: number;
  readonly epoch: number;
  /** Steps already taken inside `epoch` (0 at an epoch boundary). */
  readonly stepInEpoch: number;
  readonly seed: number;
  readonly baselines: Readonly<Record<string, number>>;
  readonly bestValid: number | null;
  readonly epochsSinceBest: number;
  readonly config: unknown;
  readonly data: {
    /** A data set name, or the file(s) as absolute paths (`x=/abs/a.npy,y=/abs/b.npy` for bindings). */
    readonly source: string;
    readonly limit?: number;
    readonly valid?: number;
    readonly labeledIndices?: readonly number[];
    /** SHA-256 of each data file (absolute path -> hex), so a changed file is noticed (train/data-record.ts). */
    readonly hashes?: Readonly<Record<string, string>>;
  };
}

export interface CheckpointContents {
  readonly weights: Map<string, tf.Tensor>;
  readonly optimizer: NamedTensor[];
  readonly state: TrainerStateRecord;
  readonly program: ProgramRecord;
}

const REQUIRED = ['state.json', 'program.json', 'weights.json', 'weights.bin'] as const;
const OPTIMIZER = ['optimizer.json', 'optimizer.bin'] as const;

async function encode(tensors: NamedTensor[]): Promise<{ json: string; bin: Buffer }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { json: JSON.stringify(specs), bin: Buffer.from(data) };
}

/** Decodes a checked manifest and its bytes; NaN or infinite values are refused. */
function decode(what: 'weights' | 'optimizer', json: unknown, bin: Uint8Array): NamedTensor[] {
  const specs = checkManifest(`${what}.json`, json);
  const expected = manifestBytes(specs);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(`${what}.bin holds ${bin.byteLength} bytes but ${what}.json describes ${expected}`, 'the checkpoint is truncated or corrupt; retrain, or use a copy of the run made before');
  }
  // A copy, aligned for Float32Array/Int32Array views.
  const buf = new Uint8Array(bin).buffer as ArrayBuffer;
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (s.dtype === 'float32') checkFinite(`${what}.bin`, s.name, new Float32Array(buf, offset, n));
    offset += n * 4;
  }
  const m = tf.io.decodeWeights(buf, specs as tf.io.WeightsManifestEntry[]);
  return specs.map((s) => ({ name: s.name, tensor: m[s.name]! }));
}

/** Writes a checkpoint atomically into `dir/checkpoint`, with manifest.json (sizes and hashes). */
export async function saveCheckpoint(dir: string, c: { weights: NamedTensor[]; optimizer: NamedTensor[]; state: TrainerStateRecord; program: ProgramRecord }): Promise<string> {
  const final = path.join(dir, 'checkpoint');
  const w = await encode(c.weights);
  const o = await encode(c.optimizer);
  const files = {
    'weights.json': w.json,
    'weights.bin': w.bin,
    'optimizer.json': o.json,
    'optimizer.bin': o.bin,
    'state.json': JSON.stringify(c.state, null, 1),
    'program.json': JSON.stringify(c.program, null, 1),
  };
  replaceDirAtomic(final, { ...files, 'manifest.json': JSON.stringify(makeManifest(files), null, 1) });
  return final;
}

/**
 * Finishes or undoes what an interrupted save left in a run directory (the next start of the
 * run calls it): when only `checkpoint.old-*` holds a checkpoint (a crash between the two
 * renames), it becomes `checkpoint/` again; then every `checkpoint.tmp-*` (a new checkpoint
 * never renamed into place) and `checkpoint.old-*` is removed, and the temporaries of atomic
 * writes of metrics.jsonl, config.json and labels.json. Returns what it did, in words.
 */
export function recoverInterruptedSave(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  const done: string[] = [];
  const stale = () => fs.readdirSync(dir).filter((e) => /^checkpoint\.(tmp|old)-\d+$/.test(e));
  const final = path.join(dir, 'checkpoint');
  if (!fs.existsSync(path.join(final, 'state.json'))) {
    const old = stale().filter((e) => e.startsWith('checkpoint.old-') && fs.existsSync(path.join(dir, e, 'state.json')));
    if (old.length === 0) return [];
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(path.join(dir, old[0]!), final);
    done.push(`restored checkpoint/ from ${old[0]}`);
  }
  // Temporaries of atomic writes (core/atomic-file.ts) of the run's own files.
  const temporaries = fs.readdirSync(dir).filter((e) => /^\.(metrics\.jsonl|config\.json|labels\.json)\.\d+\.[0-9a-f]{12}\.tmp$/.test(e));
  for (const e of [...stale(), ...temporaries]) {
    fs.rmSync(path.join(dir, e), { recursive: true, force: true });
    done.push(`removed ${e}`);
  }
  return done;
}

/** Finds the checkpoint directory for a run directory (or a checkpoint directory itself). */
export function locateCheckpoint(dir: string): string {
  if (!fs.existsSync(dir)) throw CheckpointError.of({ kind: 'checkpoint-no-directory', dir });
  if (!fs.statSync(dir).isDirectory()) throw new CheckpointError(`'${dir}' is a file, not a run directory`, 'give the run directory printed by `vae train`, which contains checkpoint/');
  const candidates = [dir, path.join(dir, 'checkpoint')];
  // A crash between the two renames of saveCheckpoint leaves only checkpoint.old-*; use it.
  for (const e of fs.readdirSync(dir)) if (/^checkpoint\.old-\d+$/.test(e)) candidates.push(path.join(dir, e));
  for (const c of candidates) if (fs.existsSync(path.join(c, 'state.json'))) return c;
  if (fs.existsSync(path.join(dir, 'checkpoint')) && fs.statSync(path.join(dir, 'checkpoint')).isDirectory()) {
    throw new CheckpointError(`the checkpoint in '${dir}' is missing state.json`, 'the checkpoint is incomplete; retrain, or use a copy of the run made before');
  }
  if (fs.existsSync(path.join(dir, 'metrics.jsonl'))) {
    throw new CheckpointError(`'${dir}' holds a run that stopped before its first checkpoint`, 'there is nothing to resume or evaluate: train again into a new --out (or delete the directory first)');
  }
  throw new CheckpointError(`'${dir}' holds no checkpoint (no state.json)`, 'give the run directory printed by `vae train`, which contains checkpoint/');
}

export interface LoadOptions {
  /**
   * 'required' (resuming): optimizer.json and optimizer.bin must be there and valid;
   * 'ignore' (evaluating, or --reset-optimizer): they are not read.
   */
  readonly optimizer?: 'required' | 'ignore';
}

/**
 * Loads a checkpoint whole or not at all: every file is checked against its schema
 * (checkpoint-schema.ts) and manifest.json's hashes; any problem is a CheckpointError (VAE703)
 * naming the file.
 */
export function loadCheckpoint(dir: string, opts: LoadOptions = {}): CheckpointContents {
  const ck = locateCheckpoint(dir);
  const want = opts.optimizer === 'required' ? [...REQUIRED, ...OPTIMIZER] : REQUIRED;
  const bytes = new Map<string, Uint8Array>();
  const read = (f: string): Uint8Array | undefined => {
    if (bytes.has(f)) return bytes.get(f);
    const p = path.join(ck, f);
    if (!fs.existsSync(p)) return undefined;
    if (!fs.statSync(p).isFile()) throw new CheckpointError(`${f} in '${dir}' is not a file`, CORRUPT_HINT);
    const b = new Uint8Array(fs.readFileSync(p));
    bytes.set(f, b);
    return b;
  };
  for (const f of want) {
    if (read(f) === undefined) {
      if (f.startsWith('optimizer')) {
        throw new CheckpointError(`the checkpoint in '${dir}' has no optimizer state (${f} is missing)`, 'resuming without it would restart the optimizer (Adam\'s moments, the step count) and give a different run; add --reset-optimizer to resume anyway with a fresh optimizer');
      }
      throw new CheckpointError(`the checkpoint in '${dir}' is missing ${f}`, 'the checkpoint is incomplete; retrain, or use a copy of the run made before');
    }
  }
  const text = (f: string) => new TextDecoder().decode(read(f)!);
  const state = parseJsonFile('state.json', text('state.json'));
  checkState(state);
  const program = parseJsonFile('program.json', text('program.json'));
  checkProgram(program);
  const weightSpecs = parseJsonFile('weights.json', text('weights.json'));
  const optimizerSpecs = opts.optimizer === 'required' ? parseJsonFile('optimizer.json', text('optimizer.json')) : undefined;
  // Structure first (the more specific messages), then the hashes of every file read.
  if (optimizerSpecs !== undefined) checkManifest('optimizer.json', optimizerSpecs);
  checkManifest('weights.json', weightSpecs);
  const manifest = read('manifest.json');
  if (manifest !== undefined) {
    const m = parseJsonFile('manifest.json', new TextDecoder().decode(manifest));
    checkDigests(m, read, want);
  }
  const weights = decode('weights', weightSpecs, read('weights.bin')!);
  const optimizer = optimizerSpecs !== undefined ? decode('optimizer', optimizerSpecs, read('optimizer.bin')!) : [];
  return { weights: new Map(weights.map((w) => [w.name, w.tensor])), optimizer, state: state as TrainerStateRecord, program: program as ProgramRecord };
}
