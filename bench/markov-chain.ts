/**
 * Elimination along a Markov chain (src/inference/objectives/chain.ts) against the joint
 * enumeration it replaces: ms per ELBO gradient step of an HMM with T steps of K states (table
 * transitions, Normal emissions, a guide q(y[t] | y[t-1], x[t])), batch B, and the tensor count
 * after the steps. The joint form (each step on its own axis) runs only where it fits (T ≤ 3).
 *
 *   node --import tsx bench/markov-chain.ts [B=16] [REPS=3]
 */
import * as tf from '@tensorflow/tfjs';
import { compile, gradients, Program } from '../src/api';
import { initBackend } from '../src/backend';

const [B = 16, REPS = 3] = process.argv.slice(2).map(Number);

const hmm = (T: number, K: number): string => `
data x: Real[T]
const T = ${T}
param init: Real[${K}]
param trans: Real[${K}, ${K}]
param mus: Real[${K}] = Normal(0, 2)
param gtrans: Real[${K}, ${K}]
param gemit: Real[${K}] = Normal(0, 1)
model {
  y[0]: Category[${K}] ~ Categorical(logits: init)
  for t in 1..T {
    y[t] ~ Categorical(logits: trans[y[t - 1]])
  }
  for t in 0..T {
    x[t] ~ Normal(mus[y[t]], 1)
  }
}
guide {
  y[0] ~ Categorical(logits: gemit * x[0])
  for t in 1..T {
    y[t] ~ Categorical(logits: gtrans[y[t - 1]] + gemit * x[t])
  }
}
`;

function time(prog: Program, T: number): { ms: number; tensors: number; value: number } {
  const x = tf.randomNormal([B!, T], 0, 1, 'float32', 1); // the same data for the chain and the joint form
  const batch = prog.batch({ x });
  let value = 0;
  gradients(prog, batch, { particles: 1, seed: 0 }); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < REPS!; r++) value = gradients(prog, batch, { particles: 1, seed: r }).value;
  const ms = (performance.now() - t0) / REPS!;
  x.dispose();
  return { ms: +ms.toFixed(1), tensors: tf.memory().numTensors, value: +value.toFixed(4) };
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const rows: unknown[] = [];
  for (const [T, K] of [[3, 16], [10, 4], [50, 4], [50, 16], [10, 64], [50, 64]] as const) {
    const prog = compile(hmm(T, K), { seed: 1 });
    const chain = time(prog, T);
    let joint: ReturnType<typeof time> | null = null;
    if (T <= 3) {
      const j = new Program(prog.checked, { ...prog.plan, chain: null }, 1);
      joint = time(j, T);
      j.dispose();
    }
    rows.push({ T, K, B, chainMs: chain.ms, tensors: chain.tensors, ...(joint ? { jointMs: joint.ms, chainValue: chain.value, jointValue: joint.value } : {}) });
    console.log(JSON.stringify(rows[rows.length - 1]));
    prog.dispose();
  }
}

void main();
