/**
 * Checkpoints: the weights (tfjs's weights format via tf.io.encodeWeights, no hand-rolled
 * binary), the optimizer state, the trainer state (step, epoch, baselines, best validation
 * score), and the program's sources, so `vae eval DIR` and `--resume DIR` rebuild exactly the
 * same program. A checkpoint is written to a temporary directory and renamed into place, so a
 * crash never leaves a half-written one; the previous checkpoint survives until the new one is
 * complete.
 *
 * Layout: DIR/checkpoint/{weights.json, weights.bin, optimizer.json, optimizer.bin, state.json, program.json}
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceDirAtomic } from '../core/atomic-file';
import { UserError } from '../core/errors';

/** A named tensor, as tfjs optimizers and tf.io use them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export class CheckpointError extends UserError {
  override readonly name = 'CheckpointError';
  constructor(message: string, hint?: string) {
    super(message, hint, 'VAE703');
  }
}

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
  readonly data: { readonly source: string; readonly limit?: number; readonly valid?: number; readonly labeledIndices?: readonly number[] };
}

export interface CheckpointContents {
  readonly weights: Map<string, tf.Tensor>;
  readonly optimizer: NamedTensor[];
  readonly state: TrainerStateRecord;
  readonly program: ProgramRecord;
}

const FILES = ['weights.json', 'weights.bin', 'state.json', 'program.json'] as const;

async function encode(tensors: NamedTensor[]): Promise<{ json: string; bin: Buffer }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { json: JSON.stringify(specs), bin: Buffer.from(data) };
}

function decode(json: string, bin: Buffer, what: string): tf.NamedTensorMap {
  let specs: tf.io.WeightsManifestEntry[];
  try {
    specs = JSON.parse(json) as tf.io.WeightsManifestEntry[];
  } catch {
    throw new CheckpointError(`${what}.json is not valid JSON`, 'the checkpoint is corrupt; retrain or use an earlier checkpoint');
  }
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'float32' || s.dtype === 'int32' ? 4 : 1), 0);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(`${what}.bin holds ${bin.byteLength} bytes but ${what}.json describes ${expected}`, 'the checkpoint is truncated or corrupt; retrain or use an earlier checkpoint');
  }
  const ab = new Uint8Array(bin).buffer as ArrayBuffer;
  return tf.io.decodeWeights(ab, specs);
}

/** Writes a checkpoint atomically into `dir/checkpoint`. */
export async function saveCheckpoint(dir: string, c: { weights: NamedTensor[]; optimizer: NamedTensor[]; state: TrainerStateRecord; program: ProgramRecord }): Promise<string> {
  const final = path.join(dir, 'checkpoint');
  const w = await encode(c.weights);
  const o = await encode(c.optimizer);
  replaceDirAtomic(final, {
    'weights.json': w.json,
    'weights.bin': w.bin,
    'optimizer.json': o.json,
    'optimizer.bin': o.bin,
    'state.json': JSON.stringify(c.state, null, 1),
    'program.json': JSON.stringify(c.program, null, 1),
  });
  return final;
}

/** Finds the checkpoint directory for a run directory (or a checkpoint directory itself). */
export function locateCheckpoint(dir: string): string {
  if (!fs.existsSync(dir)) throw new CheckpointError(`no such directory '${dir}'`, 'give the run directory printed by `vae train` (e.g. runs/vae-20261121-1200)');
  const candidates = [dir, path.join(dir, 'checkpoint')];
  // A crash between the two renames of saveCheckpoint leaves checkpoint.old-*; use it.
  for (const e of fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : []) if (e.startsWith('checkpoint.old-')) candidates.push(path.join(dir, e));
  for (const c of candidates) if (fs.existsSync(path.join(c, 'state.json'))) return c;
  throw new CheckpointError(`'${dir}' holds no checkpoint (no state.json)`, 'give the run directory printed by `vae train`, which contains checkpoint/');
}

export function loadCheckpoint(dir: string): CheckpointContents {
  const ck = locateCheckpoint(dir);
  for (const f of FILES) if (!fs.existsSync(path.join(ck, f))) throw new CheckpointError(`the checkpoint in '${dir}' is missing ${f}`, 'the checkpoint is incomplete; retrain or use an earlier run');
  const readJson = <T>(f: string): T => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ck, f), 'utf8')) as T;
    } catch {
      throw new CheckpointError(`${f} in '${dir}' is not valid JSON`, 'the checkpoint is corrupt; retrain or use an earlier run');
    }
  };
  const state = readJson<TrainerStateRecord>('state.json');
  const program = readJson<ProgramRecord>('program.json');
  if (state?.version !== 1 || typeof state.step !== 'number' || !program?.sources || typeof program.root !== 'string') {
    throw new CheckpointError(`the checkpoint in '${dir}' has an unknown format`, 'it was written by another version of vaelang, or it is corrupt');
  }
  const weights = decode(fs.readFileSync(path.join(ck, 'weights.json'), 'utf8'), fs.readFileSync(path.join(ck, 'weights.bin')), 'weights');
  let optimizer: NamedTensor[] = [];
  if (fs.existsSync(path.join(ck, 'optimizer.json'))) {
    const m = decode(fs.readFileSync(path.join(ck, 'optimizer.json'), 'utf8'), fs.readFileSync(path.join(ck, 'optimizer.bin')), 'optimizer');
    optimizer = Object.entries(m).map(([name, tensor]) => ({ name, tensor }));
  }
  return { weights: new Map(Object.entries(weights)), optimizer, state, program };
}
