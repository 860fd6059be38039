/**
 * Bad input at run time, past the checker: data of the wrong shape bound through the API is a
 * DiagnosticError VAE902 at the failing statement's span (the site, or the `let` that calls a
 * net), with no tfjs text; NaN data propagates to a non-finite bound without a crash. Neither
 * leaves tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, formatErrors, gradients, type Program } from '../../src/api';
import { DiagnosticError, type Diagnostic } from '../../src/dsl/diagnostics';
import { TEST_SEED } from '../helpers/seed';
import { CONJ } from './helpers';


const VEC_LET = `data x: Real[3]
net enc: Real[3] -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [4])
net dec: Real[2] -> Real[3] = linear()
model { z: Real[2] ~ Normal(0, 1)
        x ~ Normal(dec(z), 1) }
guide { let q = enc(x)
        z ~ Normal(q.loc, q.scale) }`;

const VEC_SITE = `data x: Real[3]
net enc: Real[3] -> Real[2] = linear()
net dec: Real[2] -> Real[3] = linear()
model { z: Real[2] ~ Normal(0, 1)
        x ~ Normal(dec(z), 1) }
guide { z ~ Normal(enc(x), 1) }`;

/** Raw tfjs wording that must not reach the user. */
const TFJS_TEXT = /Operands|broadcast|matMul|inner shapes|Error in|tfjs|Tensor/;

function failure(run: () => unknown): DiagnosticError {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e;
    throw new Error(`expected a DiagnosticError, got: ${String(e)}`);
  }
  throw new Error('expected a failure');
}

function expectVae902At(e: DiagnosticError, source: string, statement: string): Diagnostic {
  expect(e.diagnostics).toHaveLength(1);
  const d = e.diagnostics[0]!;
  expect(d.code).toBe('VAE902');
  expect(d.severity).toBe('error');
  expect(source.slice(d.primary.span.start, d.primary.span.end)).toBe(statement);
  expect(d.message).not.toMatch(TFJS_TEXT);
  expect(formatErrors(e, source)).not.toMatch(TFJS_TEXT);
  return d;
}

function check(source: string, x: tf.Tensor, statement: string, message?: RegExp): void {
  const prog: Program = compile(source);
  const batch = prog.batch({ x });
  const n0 = tf.memory().numTensors;
  for (const run of [() => evaluate(prog, batch, { seed: TEST_SEED }), () => evaluate(prog, batch, { seed: TEST_SEED, objective: { kind: 'iwae', k: 3 } })]) {
    const d = expectVae902At(failure(run), source, statement);
    if (message) expect(d.message).toMatch(message);
  }
  expect(tf.memory().numTensors).toBe(n0); // the failed evaluations cleaned up after themselves
  // gradients() reports the same diagnostic. (Its failure can leave the few tensors already
  // saved on tfjs's gradient tape behind: tfjs-core's engine.gradients() only frees the tape
  // after a successful forward pass. Not checked here; see the report.)
  const d = expectVae902At(failure(() => gradients(prog, batch, { seed: TEST_SEED })), source, statement);
  if (message) expect(d.message).toMatch(message);
  prog.dispose();
  x.dispose();
}

describe('run-time shape errors are VAE902 at the statement', () => {
  it('an observed Real bound as [B, 3]', () => {
    check(CONJ, tf.zeros([5, 3]), 'x ~ Normal(z, 1)', /`x`.*\[5, 3\].*\[B\]/);
  });

  it('an observed Real bound as [B, 1] (would broadcast against the [K, B] particles)', () => {
    check(CONJ, tf.zeros([5, 1]), 'x ~ Normal(z, 1)', /\[5, 1\]/);
  });

  it('a Real[3] bound as [B, 4] failing inside a net called by a `let`', () => {
    check(VEC_LET, tf.zeros([5, 4]), 'let q = enc(x)', /`let q`/);
  });

  it('a Real[3] bound as [B, 4] failing inside a net called in a site', () => {
    check(VEC_SITE, tf.zeros([5, 4]), 'z ~ Normal(enc(x), 1)', /`z`/);
  });

  it('data columns of different lengths: the site where they meet reports it', () => {
    // The guide's z follows w ([4]); the model's x ([5]) meets it when its log-density is taken
    // (in the objective's terms, after the site ran).
    const src = `data x: Real
data w: Real
${CONJ.slice(CONJ.indexOf('model'), CONJ.indexOf('guide'))}guide { z ~ Normal(w, 1) }`;
    const prog = compile(src);
    const cols = { x: tf.zeros([5]), w: tf.zeros([4]) };
    const batch = prog.batch(cols);
    expectVae902At(failure(() => evaluate(prog, batch, { seed: TEST_SEED })), src, 'x ~ Normal(z, 1)');
    expectVae902At(failure(() => evaluate(prog, batch, { seed: TEST_SEED, objective: { kind: 'iwae', k: 2 } })), src, 'x ~ Normal(z, 1)');
    tf.dispose(Object.values(cols));
    prog.dispose();
  });

  it('a Real[3] bound as [B] where the guide does not read x: the model site reports it', () => {
    const src = VEC_SITE.replace('z ~ Normal(enc(x), 1)', 'z: Real[2] ~ Normal(0, 1)');
    check(src, tf.zeros([5]), 'x ~ Normal(dec(z), 1)', /\[5\].*\[B, 3\]/);
  });
});

describe('NaN data', () => {
  it('gives a non-finite bound for the affected example only, without a crash or a leak', () => {
    const prog = compile(CONJ);
    const x = tf.tensor1d([1, NaN, 2]);
    const batch = prog.batch({ x });
    const n0 = tf.memory().numTensors;
    const r = evaluate(prog, batch, { seed: TEST_SEED });
    expect(Number.isFinite(r.perExample[0]!)).toBe(true);
    expect(Number.isNaN(r.perExample[1]!)).toBe(true);
    expect(Number.isFinite(r.perExample[2]!)).toBe(true);
    expect(Number.isNaN(r.mean)).toBe(true);
    const iw = evaluate(prog, batch, { seed: TEST_SEED, objective: { kind: 'iwae', k: 4 } });
    expect(Number.isNaN(iw.perExample[1]!)).toBe(true);
    expect(Number.isFinite(iw.perExample[0]!)).toBe(true);
    const g = gradients(prog, batch, { seed: TEST_SEED });
    expect(Number.isFinite(g.value)).toBe(false);
    expect(Number.isNaN(g.grads.get('param.m')![0]!)).toBe(true);
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
    prog.dispose();
  });
});
