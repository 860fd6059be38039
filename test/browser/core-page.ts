// The page of test/browser/core.test.ts: the browser entry (src/browser.ts), bundled by esbuild,
// checks a program with an error and a good one, then trains the good one for a few steps on
// the wasm backend, and leaves what it saw on window.__result.
import * as tf from '@tensorflow/tfjs';
import { backendName, check, compile, evaluate, initBackend, loadWeights, saveWeights, train } from '../../src/browser';

const PROGRAM = `data x: Binary[4]
net decoder: Real[2] -> Real[4] = linear()
net encoder: Real[4] -> (loc: Real[2], scale: Positive[2]) = linear()
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Bernoulli(logits: decoder(z))
}
guide {
  let q = encoder(x)
  z ~ Normal(q.loc, q.scale)
}
train { batch: 10  epochs: 4  optimizer: adam(lr: 0.05) }
`;

const w = globalThis as unknown as { __result?: unknown; process?: unknown; require?: unknown };

async function main(): Promise<unknown> {
  const bad = check(PROGRAM.replace('Normal(0, 1)', 'Normal(0, -1)'));
  const good = check(PROGRAM);
  const backend = await initBackend('wasm', { assets: `${(globalThis as unknown as { location: { origin: string } }).location.origin}/wasm/` });
  const prog = compile(PROGRAM, { seed: 1 });
  const rows = Array.from({ length: 100 }, (_, i) => (i % 2 ? [1, 1, 0, 0] : [0, 0, 1, 1]));
  const elbos: number[] = [];
  const stop = new AbortController();
  const run = await train(prog, { train: { x: rows }, valid: { x: rows.slice(0, 20) } }, {
    signal: stop.signal,
    readEvery: 5,
    onStep: (s) => void elbos.push(s.elbo),
    onEpoch: (e) => {
      if (e.epoch === 3) stop.abort();
    },
  });
  const history = run.history.map((e) => ({ epoch: e.epoch, validElbo: e.validElbo }));
  run.dispose();
  // Weights through the browser's IndexedDB, into a program with other initial values.
  await saveWeights(prog, 'indexeddb://vaelang-test');
  const copy = compile(PROGRAM, { seed: 2 });
  const x = tf.tensor2d(rows.slice(0, 6));
  const before = evaluate(copy, copy.batch({ x }), { seed: 3 }).mean;
  await loadWeights(copy, 'indexeddb://vaelang-test');
  const weights = { original: evaluate(prog, prog.batch({ x }), { seed: 3 }).mean, before, after: evaluate(copy, copy.batch({ x }), { seed: 3 }).mean };
  x.dispose();
  copy.dispose();
  prog.dispose();
  return {
    bad: bad.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column })),
    plan: good.plan?.sites.map((s) => [s.site, s.estimator]),
    backend,
    name: backendName(),
    steps: run.step,
    stopped: run.stopped,
    elbos,
    history,
    weights,
    nodeGlobals: [typeof w.process, typeof w.require],
  };
}

main().then(
  (r) => (w.__result = r),
  (e: unknown) => (w.__result = { error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }),
);
