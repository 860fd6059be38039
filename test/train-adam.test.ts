// vaelang's Adam (fewer ops per step) takes the same steps as tfjs's Adam (Kingma & Ba 2015).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/train/adam';

describe('Adam', () => {
  it('matches tf.train.adam step for step', () => {
    const init = tf.randomNormal([30, 7], 0, 1, 'float32', 3); // [30, 7]
    const target = tf.randomNormal([30, 7], 0, 1, 'float32', 4); // [30, 7]
    const ours = tf.variable(init, true, 'adam-test-ours');
    const theirs = tf.variable(init, true, 'adam-test-theirs');
    const adam = new Adam(0.01, 0.9, 0.999, 1e-8);
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
    const v = tf.variable(tf.ones([4]), true, 'adam-test-state');
    const adam = new Adam(0.1);
    const g = { [v.name]: tf.fill([4], 0.5) };
    adam.applyGradients(g);
    const saved = (await adam.getWeights()).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    const other = new Adam(0.1);
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
});
