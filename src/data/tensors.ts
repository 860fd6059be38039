/**
 * The one bridge from the data layer to tfjs: NdArrays and batches to tensors.
 *
 * Contract. Category (label) data becomes an int32 tensor; everything else becomes float32
 * (uint8 pixels are converted, not rescaled). The caller owns and disposes the returned
 * tensors. No other file of `src/data` imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ValueKind } from '../distributions/constraints';
import type { NdArray } from './ndarray';

/** The tfjs dtype a site of kind `kind` is fed with. */
export function tensorDtype(kind?: ValueKind): 'float32' | 'int32' {
  return kind === 'Category' ? 'int32' : 'float32';
}

/**
 * Converts an NdArray to a tensor of the site's dtype (int32 for Category, else float32).
 * @example const xb = toTensor(batch.columns.x, 'Binary'); // float32 [B, 28, 28]
 */
export function toTensor(arr: NdArray, kind?: ValueKind): tf.Tensor {
  const dtype = tensorDtype(kind);
  const shape = [...arr.shape];
  if (dtype === 'int32') return tf.tensor(arr.data instanceof Int32Array ? arr.data : Int32Array.from(arr.data), shape, 'int32');
  return tf.tensor(arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data), shape, 'float32');
}

/** Converts the named columns of a batch; `kinds` gives each column's value kind. */
export function batchToTensors(
  columns: Readonly<Record<string, NdArray>>,
  kinds: Readonly<Record<string, ValueKind>> = {},
): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, arr] of Object.entries(columns)) out[name] = toTensor(arr, kinds[name]);
  return out;
}
