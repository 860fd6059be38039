// The sharing Identity (src/kernels/identity.ts): a clone shares its source's memory on the wasm
// backend, stays valid when the source is disposed, frees the memory with its last reference,
// and a training step's objective and gradients are the same as with the copying Identity.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activeKernels, addr, type WasmBackendLike } from '../../src/kernels/runtime';
import { expectRel, uniform, withFused } from './helpers';

const be = (): WasmBackendLike => tf.backend() as unknown as WasmBackendLike;

describe('Identity without a copy (group identity)', () => {
  it('is active in the test setup', () => {
    expect(activeKernels()).not.toBeNull();
  });

  it('a clone shares the memory; the generic Identity copies it', () => {
    const x = uniform(1, [37, 5]);
    const shared = withFused(['identity'], () => x.clone());
    const copied = withFused(false, () => x.clone());
    expect(addr(be(), shared)).toBe(addr(be(), x));
    expect(addr(be(), copied)).not.toBe(addr(be(), x));
    expect(Array.from(shared.dataSync())).toEqual(Array.from(x.dataSync()));
    x.dispose();
    copied.dispose();
    shared.dispose();
  });

  it('the data outlives the source and is freed with the last reference', () => {
    const before = tf.memory().numBytes;
    const x = uniform(2, [64, 3]);
    const values = Array.from(x.dataSync());
    const c = withFused(['identity'], () => tf.clone(x));
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual(values);
    expect(tf.memory().numBytes).toBe(before + 64 * 3 * 4);
    c.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('gradients through saved inputs match the copying Identity (1e-5 relative)', () => {
    // tf.customGrad and registered gradients save their inputs with clones.
    const w = uniform(3, [20, 7]);
    const x = uniform(4, [9, 20]);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.softplus(tf.matMul(a, b)).mul(tf.sigmoid(b.sum())));
    const run = (): tf.Tensor[] => {
      const { value, grads } = tf.valueAndGrads(f)([x, w]);
      return [value, ...grads];
    };
    const shared = withFused(['identity'], run);
    const copied = withFused(false, run);
    shared.forEach((t, i) => expectRel(t, copied[i]!));
  });
});
