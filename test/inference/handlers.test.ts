// The effect handlers compose as in Pyro: block hides sites from outer handlers, scale multiplies
// a site's log-density, seed makes traces reproducible, plates push frames whose dims (from the
// run's DimAllocator) set the batch shape of samples.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api';
import type { EvalEnv } from '../../src/inference/compile';
import { block } from '../../src/inference/handlers/block';
import { plate, vectorizedPlates } from '../../src/inference/handlers/plate';
import { DimAllocator } from '../../src/inference/dims';
import { scale } from '../../src/inference/handlers/scale';
import { seed } from '../../src/inference/handlers/seed';
import { TraceHandler } from '../../src/inference/handlers/trace';
import { sampleMessage, type Handler, type Message } from '../../src/inference/messages';
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
  const init = (site: { info: Message['site'] }, dist: Message['dist']): Message => sampleMessage(site.info, dist);
  tf.tidy(() => {
    prog.compiled.model.run(new Runtime([spy, trace, ...handlers]), env, init);
  });
  prog.dispose();
  return { trace, seen };
}

describe('effect handlers', () => {
  it('seed + plate: every site is sampled with the plate shape, reproducibly', () => {
    const r1 = runModel([seed(Rng.fromSeed(5)), ...vectorizedPlates(new DimAllocator(), 3, 4)]);
    const shapes = [...r1.trace.sites.values()].map((m) => m.value?.shape);
    expect(shapes).toEqual([[3, 4], [3, 4], [3, 4]]);
  });

  it('two plates compose into [K, B]; frames stack outermost first', () => {
    const dims = new DimAllocator();
    const data = plate(dims, 'data', 4); // dim -1
    const particles = plate(dims, 'particles', 3); // dim -2
    const r = runModel([seed(Rng.fromSeed(5)), particles, data]);
    const a = r.trace.sites.get('a')!;
    expect(a.value?.shape).toEqual([3, 4]);
    expect(a.plates.map((f) => f.name)).toEqual(['particles', 'data']);
    // The stack order decides the order of the frames, not the shape: dims come from the allocator.
    const swapped = runModel([seed(Rng.fromSeed(5)), data, particles]).trace.sites.get('a')!;
    expect(swapped.value?.shape).toEqual([3, 4]);
    expect(swapped.plates.map((f) => f.name)).toEqual(['data', 'particles']);
  });

  it('a plate sees only the sites that reach it: a block inside the outer plate hides a from it', () => {
    const dims = new DimAllocator();
    const [particles, data] = vectorizedPlates(dims, 3, 4);
    const inner = new TraceHandler();
    runModel([particles, block((m) => m.site.name === 'a'), data, seed(Rng.fromSeed(5)), inner]);
    const a = inner.sites.get('a')!;
    expect(a.plates.map((f) => f.name)).toEqual(['data']);
    expect(a.value?.shape).toEqual([4]); // one draw shared by the particles
    const b = inner.sites.get('b')!;
    expect(b.plates.map((f) => f.name)).toEqual(['particles', 'data']);
    expect(b.value?.shape).toEqual([3, 4]);
  });

  it('block hides the matching sites from the handlers outside it', () => {
    const r = runModel([block((m) => m.site.name === 'b'), seed(Rng.fromSeed(5)), plate(new DimAllocator(), 'data', 2)]);
    expect([...r.trace.sites.keys()]).toEqual(['a', 'x']);
    expect(r.seen.map((m) => m.site.name)).toEqual(['a', 'x']);
  });

  it('scale multiplies the factor of every site it sees; nested scales compose', () => {
    const r = runModel([scale(2), scale(0.25), seed(Rng.fromSeed(5)), plate(new DimAllocator(), 'data', 2)]);
    expect([...r.trace.sites.values()].map((m) => m.scale)).toEqual([0.5, 0.5, 0.5]);
  });
});
