// --backend webgpu: the GPU through @tensorflow/tfjs-backend-webgpu (Dawn's `webgpu` package in
// Node). Without a GPU adapter (this project's CI machines) the request fails with the reason and
// a hint to use the CPU, and leaves the backend in use as it was: no silent fall-back.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError, initBackend, normalizeBackend } from '../../src/backend';
import { probeWebGpu } from '../../src/webgpu';

describe('--backend webgpu', () => {
  it('is a requestable name (gpu is an alias)', () => {
    expect(normalizeBackend('webgpu')).toBe('webgpu');
    expect(normalizeBackend(' GPU ')).toBe('webgpu');
  });

  it('the probe answers without throwing, with a reason and a hint when there is no adapter', async () => {
    const p = await probeWebGpu();
    if (p.ok) {
      expect(p.adapter.length).toBeGreaterThan(0);
    } else {
      expect(p.reason).toMatch(/webgpu|adapter/i);
      expect(p.hint).toMatch(/--backend wasm/);
    }
    expect(await probeWebGpu()).toBe(p); // probed once per process
  });

  it('without an adapter: a BackendError (VAE704) with the reason and a hint; the wasm backend stays', async () => {
    const p = await probeWebGpu();
    if (p.ok) return; // a machine with a GPU: covered by the GPU run in docs/gpu.md
    const before = tf.getBackend();
    const err = await initBackend('webgpu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('VAE704');
    expect((err as BackendError).message).toMatch(/^backend 'webgpu' is not available: /);
    expect((err as BackendError).message).toContain(p.reason);
    expect((err as BackendError).hint).toMatch(/--backend wasm/);
    expect(tf.getBackend()).toBe(before);
    expect(tf.findBackendFactory('webgpu')).toBeNull(); // nothing half-registered
  });

  it('unknown names list webgpu among the choices', async () => {
    await expect(initBackend('vulkan')).rejects.toThrow(/choose one of: tensorflow, wasm, cpu, webgpu/);
  });
});
