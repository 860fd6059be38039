// The effect handlers compose as in Pyro: block hides sites from outer handlers, scale multiplies
// a site's log-density, seed makes traces reproducible, plate sets the batch shape of samples.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api';
import type { EvalEnv } from '../../src/inference/compile';
import { block } from '../../src/inference/handlers/block';
import { plate } from '../../src/inference/handlers/plate';
import { scale } from '../../src/inference/handlers/scale';
import { seed } from '../../src/inference/handlers/seed';
import { TraceHandler } from '../../src/inference/handlers/trace';
import type { Handler, Message } from '../../src/inference/messages';
import { Rng } from '../../src/core/rng';
import { Runtime } from '../../src/inference/runtime';

const src = `
data x: Real
model {
  a ~ Normal(0, 1)
  b ~ Normal(a, 1)
  x ~ Normal(b, 1)
}
guide {
  a ~ Normal(0, 1)
  b ~ Normal(0, 1)
}
`;

function runModel(handlers: Handler[]): { trace: TraceHandler; seen: Message[] } {
  const prog = compile(src);
  const trace = new TraceHandler();
  const seen: Message[] = [];
  const spy: Handler = { postprocess: (m) => void seen.push(m) };
  const env: EvalEnv = { store: prog.store, data: new Map(), locals: new Map(), detach: false };
  const init = (site: { info: Message['site'] }, dist: Message['dist']): Message => ({ kind: 'sample', site: site.info, dist, value: null, observation: null, estimator: null, enumIndex: null, plate: [], rng: null, scale: 1, stop: false, done: false });
  tf.tidy(() => {
    prog.compiled.model.run(new Runtime([spy, trace, ...handlers]), env, init);
  });
  prog.dispose();
  return { trace, seen };
}

describe('effect handlers', () => {
  it('seed + plate: every site is sampled with the plate shape, reproducibly', () => {
    const r1 = runModel([seed(Rng.fromSeed(5)), plate([3, 4])]);
    const shapes = [...r1.trace.sites.values()].map((m) => m.value?.shape);
    expect(shapes).toEqual([[3, 4], [3, 4], [3, 4]]);
  });

  it('block hides the matching sites from the handlers outside it', () => {
    const r = runModel([block((m) => m.site.name === 'b'), seed(Rng.fromSeed(5)), plate([2])]);
    expect([...r.trace.sites.keys()]).toEqual(['a', 'x']);
    expect(r.seen.map((m) => m.site.name)).toEqual(['a', 'x']);
  });

  it('scale multiplies the factor of every site it sees; nested scales compose', () => {
    const r = runModel([scale(2), scale(0.25), seed(Rng.fromSeed(5)), plate([2])]);
    expect([...r.trace.sites.values()].map((m) => m.scale)).toEqual([0.5, 0.5, 0.5]);
  });
});
