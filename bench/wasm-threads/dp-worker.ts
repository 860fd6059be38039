/**
 * A data-parallel replica (rank ≥ 1) of the wasm-threads benchmark; the main thread is rank 0.
 * Messages in: {cmd: 'steps', variant, from, count}; out: 'ready', then {cmd: 'done', hash} per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../src/backend';
import { Replica, type DpShared } from './dp';
import { flatParams, hashFloats } from './vae-step';

const { shared, rank } = workerData as { shared: DpShared; rank: number };
await initBackend('wasm');
const replicas = { replicated: new Replica(shared, rank, false), sharded: new Replica(shared, rank, true) };
parentPort!.on('message', (m: { cmd: string; from: number; count: number; variant: keyof typeof replicas }) => {
  if (m.cmd === 'steps') {
    const replica = replicas[m.variant];
    for (let s = m.from; s < m.from + m.count; s++) replica.step(s);
    parentPort!.postMessage({ cmd: 'done', hash: hashFloats(flatParams(replica.params)) });
  } else if (m.cmd === 'exit') {
    process.exit(0);
  }
});
parentPort!.postMessage({ cmd: 'ready' });
