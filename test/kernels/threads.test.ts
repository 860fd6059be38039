// The GEMM on two threads (src/kernels/threads.ts) on the threaded backend's shared heap, in a
// fresh process: the worker starts, and every split product matches the generic kernel to 1e-5
// of |A|·|B| elementwise.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('GEMM on two threads', () => {
  it.runIf(os.cpus().length >= 2)('splits products between the caller and its worker, with the generic kernel\'s results', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'threads-child.ts')], { encoding: 'utf8', timeout: 120_000 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { threaded: { ok: boolean }; kernels: { active: boolean; shared: boolean; gemmThreads: number }; gemmThreads: number; worst: number };
    expect(r.threaded.ok).toBe(true);
    expect(r.kernels).toMatchObject({ active: true, shared: true, gemmThreads: 2 });
    expect(r.worst).toBeLessThan(1e-5);
  });
});
