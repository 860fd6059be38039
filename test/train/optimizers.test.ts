// vaelang's optimizers over explicit variables: Adam (fewer ops per step) takes the same steps
// as tfjs's Adam (Kingma & Ba 2015); SGD, momentum and RMSProp are bitwise equal to tfjs's; the
// state round-trips through getWeights/setWeights in tfjs's checkpoint layout.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam } from '../../src/train/adam';
import { RmsProp } from '../../src/train/rmsprop';
import { Sgd } from '../../src/train/sgd';
import type { StepOptimizer } from '../../src/train/slots';

describe('Adam', () => {
  it('matches tf.train.adam step for step', () => {
    const init = tf.randomNormal([30, 7], 0, 1, 'float32', 3); // [30, 7]
    const target = tf.randomNormal([30, 7], 0, 1, 'float32', 4); // [30, 7]
    const ours = tf.variable(init, true);
    const theirs = tf.variable(init, true);
    const adam = new Adam([ours], 0.01, 0.9, 0.999, 1e-8);
    const ref = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    const loss = (v: tf.Variable) => () => tf.sum(tf.square(tf.sub(v, target))) as tf.Scalar;
    for (let step = 0; step < 25; step++) {
      const g = tf.variableGrads(loss(ours), [ours]);
      adam.applyGradients(g.grads);
      tf.dispose([g.value, ...Object.values(g.grads)]);
      ref.minimize(loss(theirs), false, [theirs]);
    }
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-5); // float32 rounding over 25 steps of size ~0.01
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, init))).dataSync()[0]!);
    expect(moved).toBeGreaterThan(0.1);
    tf.dispose([init, target, ours, theirs]);
    adam.dispose();
    ref.dispose();
  });

  it('round-trips its state through getWeights/setWeights', async () => {
    const v = tf.variable(tf.ones([4]), true);
    const adam = new Adam([v], 0.1);
    const g = { [v.name]: tf.fill([4], 0.5) };
    adam.applyGradients(g);
    const saved = (await adam.getWeights()).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    const other = new Adam([v], 0.1);
    await other.setWeights(saved, [v.name]);
    const before = v.dataSync().slice();
    adam.applyGradients(g);
    const viaOriginal = v.dataSync().slice();
    v.assign(tf.tensor1d(Array.from(before)));
    other.applyGradients(g);
    expect(Array.from(v.dataSync())).toEqual(Array.from(viaOriginal));
    tf.dispose([v, ...Object.values(g), ...saved.map((w) => w.tensor)]);
    adam.dispose();
    other.dispose();
  });

  const tfjs: [string, (v: tf.Variable) => StepOptimizer, () => tf.Optimizer][] = [
    ['SGD', (v) => new Sgd([v], 0.05), () => tf.train.sgd(0.05)],
    ['momentum', (v) => new Sgd([v], 0.05, 0.9), () => tf.train.momentum(0.05, 0.9)],
    ['RMSProp with momentum', (v) => new RmsProp([v], 0.01, 0.9, 0.5, 1e-7), () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7)],
  ];
  for (const [name, ours, theirs] of tfjs) {
    it(`${name} equals tfjs's bit for bit`, () => {
      const init = tf.randomNormal([12, 5], 0, 1, 'float32', 7); // [12, 5]
      const target = tf.randomNormal([12, 5], 0, 1, 'float32', 8); // [12, 5]
      const a = tf.variable(init, true);
      const b = tf.variable(init, true);
      const opt = ours(a);
      const ref = theirs();
      const loss = (v: tf.Variable) => () => tf.sum(tf.square(tf.sub(v, target))) as tf.Scalar;
      for (let step = 0; step < 10; step++) {
        const g = tf.variableGrads(loss(a), [a]);
        opt.applyGradients(g.grads);
        tf.dispose([g.value, ...Object.values(g.grads)]);
        ref.minimize(loss(b), false, [b]);
      }
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([init, target, a, b]);
      opt.dispose();
      ref.dispose();
    });
  }

  it('keeps tfjs\'s checkpoint layout (iter, then each slot kind for every variable) and restores it', async () => {
    const v = tf.variable(tf.ones([3]), true);
    const w = tf.variable(tf.ones([2]), true);
    const opt = new RmsProp([v, w], 0.1, 0.9, 0.5);
    const g = { [v.name]: tf.fill([3], 0.5), [w.name]: tf.fill([2], -1) };
    opt.applyGradients(g);
    const saved = await opt.getWeights();
    expect(saved.map((x) => x.name)).toEqual(['iter', `${v.name}/rms`, `${w.name}/rms`, `${v.name}/momentum`, `${w.name}/momentum`]);
    const copy = saved.map((x) => ({ name: x.name, tensor: x.tensor.clone() }));
    const other = new RmsProp([v, w], 0.1, 0.9, 0.5);
    await other.setWeights(copy, [v.name, w.name]);
    const before = [v.dataSync().slice(), w.dataSync().slice()];
    opt.applyGradients(g);
    const viaOriginal = [Array.from(v.dataSync()), Array.from(w.dataSync())];
    v.assign(tf.tensor1d(Array.from(before[0]!)));
    w.assign(tf.tensor1d(Array.from(before[1]!)));
    other.applyGradients(g);
    expect([Array.from(v.dataSync()), Array.from(w.dataSync())]).toEqual(viaOriginal);
    tf.dispose([v, w, saved[0]!.tensor, ...Object.values(g), ...copy.map((x) => x.tensor)]);
    opt.dispose();
    other.dispose();
  });
});
