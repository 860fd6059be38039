// Net bodies end to end: the checker's layer shapes, and the compiled nets against direct
// computations with the same weights (dense-only stacks against mlp, convolutions against
// tf.conv2d with explicit NCHW <-> NHWC handling, outputs split along channels, GRU and LSTM
// against a float64 reference written from the equations). Deterministic; tolerances are float32.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api';
import { checkText } from '../../src/check';
import type { SequentialBody } from '../../src/dsl/net-bodies';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  expect(worst).toBeLessThan(tol);
}

const PROGRAM = (nets: string, use: string) => `
data x: Real[4]
${nets}
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Normal(${use}, 1)
}
guide { z ~ Normal(zeros(2), 1) }
`;

describe('the checker computes every layer shape', () => {
  it('for a convolutional encoder and decoder', () => {
    const r = checkText(`
data x: Binary[28, 28]
net encoder: Real[28, 28] -> (loc: Real[16], scale: Positive[16]) = sequential(
  conv2d(32, kernel: 4, stride: 2, padding: 1), conv2d(64, kernel: 4, stride: 2, padding: 1), flatten(), dense(256))
net decoder: Real[16] -> Real[28, 28] = sequential(
  dense(256), dense(3136), reshape(64, 7, 7), deconv2d(32, kernel: 4, stride: 2, padding: 1), upsample(2), conv2d(1, kernel: 3, padding: same))
model {
  z: Real[16] ~ Normal(0, 1)
  x ~ Bernoulli(logits: decoder(z))
}
guide {
  let q = encoder(x)
  z ~ Normal(q.loc, q.scale)
}`);
    expect(r.diagnostics).toEqual([]);
    const shapes = (n: string) => (r.checked!.nets.find((x) => x.name === n)!.body as SequentialBody).layers.map((l) => l.output);
    expect(shapes('encoder')).toEqual([[32, 14, 14], [64, 7, 7], [3136], [256]]);
    expect(shapes('decoder')).toEqual([[256], [3136], [64, 7, 7], [32, 14, 14], [32, 28, 28], [1, 28, 28]]);
    const dec = r.checked!.nets.find((x) => x.name === 'decoder')!.body as SequentialBody;
    expect(dec.ending).toBe('channels');
    // The last layer produces the output itself: no activation after it; the others get the default (relu).
    expect(dec.layers.map((l) => ('activation' in l ? l.activation : null))).toEqual(['relu', 'relu', null, 'relu', null, 'linear']);
  });
});

describe('sequential', () => {
  it('of dense layers is an mlp with the same weights', () => {
    const prog = compile(PROGRAM('net a: Real[2] -> Real[4] = mlp(hidden: [5], activation: tanh)\nnet b: Real[2] -> Real[4] = sequential(dense(5), activation: tanh)', 'a(z) + b(z)'));
    try {
      const copy: [string, string][] = [['a.l0.w0', 'b.l0.w'], ['a.l0.b', 'b.l0.b'], ['a.l1.w', 'b.head.w'], ['a.l1.b', 'b.head.b']];
      for (const [from, to] of copy) prog.param(to).assign(tf.add(prog.param(from), tf.randomNormal(prog.param(from).shape, 0, 0.1, 'float32', 3)));
      for (const [from, to] of copy) prog.param(from).assign(prog.param(to));
      const z = tf.randomNormal([3, 2], 0, 1, 'float32', 1);
      const a = prog.compiled.nets.get('a')!.apply([z], prog.store)[0]!;
      const b = prog.compiled.nets.get('b')!.apply([z], prog.store)[0]!;
      close(b.dataSync(), a.dataSync());
      tf.dispose([z, a, b]);
    } finally {
      prog.dispose();
    }
  });

  it('convolves a channels-first image as tf.conv2d does, and flattens in [C, H, W] order', () => {
    const src = PROGRAM('net e: Real[2, 6, 5] -> Real[2] = sequential(conv2d(3, kernel: 3, stride: 2, padding: 1, activation: tanh), flatten())', 'zeros(4)')
      .replace('data x: Real[4]', 'data x: Real[4]\ndata img: Real[2, 6, 5]')
      .replace('x ~ Normal(zeros(4), 1)', 'let q = e(img)\n  x ~ Normal(zeros(4), 1)');
    const prog = compile(src);
    try {
      const img = tf.randomNormal([4, 2, 6, 5], 0, 1, 'float32', 2); // [B, C, H, W]
      const out = prog.compiled.nets.get('e')!.apply([img], prog.store)[0]!; // [B, 2]
      const w = prog.param('e.l0.w') as tf.Tensor4D; // [3, 3, 2, 3]
      const conv = tf.tanh(tf.add(tf.conv2d(tf.transpose(img, [0, 2, 3, 1]) as tf.Tensor4D, w, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), prog.param('e.l0.b'))); // [B, 3, 3, 3] NHWC
      const flat = tf.transpose(conv, [0, 3, 1, 2]).reshape([4, 27]); // [B, C·H·W]
      const ref = tf.add(tf.matMul(flat, prog.param('e.head.w')), prog.param('e.head.b'));
      close(out.dataSync(), ref.dataSync());
      tf.dispose([img, out, conv, flat, ref]);
    } finally {
      prog.dispose();
    }
  });

  it('splits an image-ending stack along the channels into the outputs, each with its transform', () => {
    const src = PROGRAM('net d: Real[2] -> (loc: Real[2, 4, 4], scale: Positive[4, 4]) = sequential(dense(12), reshape(3, 2, 2), deconv2d(3, kernel: 2, stride: 2))', 'zeros(4)').replace('x ~ Normal(zeros(4), 1)', 'let q = d(z)\n  x ~ Normal(zeros(4), 1)');
    const prog = compile(src);
    try {
      const z = tf.randomNormal([5, 2], 0, 1, 'float32', 4);
      const [loc, scale] = prog.compiled.nets.get('d')!.apply([z], prog.store);
      expect(loc!.shape).toEqual([5, 2, 4, 4]);
      expect(scale!.shape).toEqual([5, 4, 4]);
      const h = tf.relu(tf.add(tf.matMul(z, prog.param('d.l0.w')), prog.param('d.l0.b'))).reshape([5, 3, 2, 2]); // [B, C, H, W]
      const nhwc = tf.transpose(h, [0, 2, 3, 1]) as tf.Tensor4D; // [B, 2, 2, 3]
      const w = prog.param('d.l2.w') as tf.Tensor4D; // [2, 2, 3 (in), 3 (out)]
      const y = tf.add(tf.conv2dTranspose(nhwc, tf.transpose(w, [0, 1, 3, 2]) as tf.Tensor4D, [5, 4, 4, 3], 2, 'valid'), prog.param('d.l2.b')); // [B, 4, 4, 3]
      const chw = tf.transpose(y, [0, 3, 1, 2]); // [B, 3, 4, 4]
      close(loc!.dataSync(), chw.slice([0, 0, 0, 0], [5, 2, 4, 4]).dataSync());
      close(scale!.dataSync(), tf.softplus(chw.slice([0, 2, 0, 0], [5, 1, 4, 4])).dataSync());
      tf.dispose([z, loc!, scale!, h, nhwc, y, chw]);
    } finally {
      prog.dispose();
    }
  });

  it('joins the other inputs at flatten(): a conditional convolutional encoder', () => {
    const src = PROGRAM('net e: (Real[1, 4, 4], OneHot[3]) -> Real[2] = sequential(conv2d(2, kernel: 2, stride: 2), flatten(), dense(5))', 'zeros(4)')
      .replace('data x: Real[4]', 'data x: Real[4]\ndata img: Real[1, 4, 4]\ndata y: Category[3]')
      .replace('x ~ Normal(zeros(4), 1)', 'let q = e(img, onehot(y))\n  x ~ Normal(zeros(4), 1)');
    const prog = compile(src);
    try {
      const img = tf.randomNormal([2, 1, 4, 4], 0, 1, 'float32', 5);
      const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3).cast('float32');
      const out = prog.compiled.nets.get('e')!.apply([img, y], prog.store)[0]!;
      const conv = tf.relu(tf.add(tf.conv2d(tf.transpose(img, [0, 2, 3, 1]) as tf.Tensor4D, prog.param('e.l0.w') as tf.Tensor4D, 2, 'valid'), prog.param('e.l0.b'))); // [2, 2, 2, 2]
      const flat = tf.concat([tf.transpose(conv, [0, 3, 1, 2]).reshape([2, 8]), y], 1); // [2, 11]
      const h = tf.relu(tf.add(tf.matMul(flat, prog.param('e.l2.w')), prog.param('e.l2.b')));
      const ref = tf.add(tf.matMul(h, prog.param('e.head.w')), prog.param('e.head.b'));
      close(out.dataSync(), ref.dataSync());
      tf.dispose([img, y, out, conv, flat, h, ref]);
    } finally {
      prog.dispose();
    }
  });
});

/** The cells in float64 from their equations (PyTorch's gate order), over x [N][T][D]. */
function reference(kind: 'gru' | 'lstm', x: number[][][], P: Record<string, Float32Array>, H: number, reverse: boolean): number[][][] {
  const G = kind === 'gru' ? 3 : 4;
  const D = x[0]![0]!.length;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return x.map((seq) => {
    const T = seq.length;
    let h = new Array<number>(H).fill(0);
    let c = new Array<number>(H).fill(0);
    const out: number[][] = new Array(T);
    for (let i = 0; i < T; i++) {
      const t = reverse ? T - 1 - i : i;
      const xi = Array.from({ length: G * H }, (_, g) => P['bi']![g]! + seq[t]!.reduce((s, v, d) => s + v * P['wi']![d * G * H + g]!, 0));
      const hh = Array.from({ length: G * H }, (_, g) => P['bh']![g]! + h.reduce((s, v, d) => s + v * P['wh']![d * G * H + g]!, 0));
      if (kind === 'gru') {
        const r = h.map((_, j) => sig(xi[j]! + hh[j]!));
        const z = h.map((_, j) => sig(xi[H + j]! + hh[H + j]!));
        const n = h.map((_, j) => Math.tanh(xi[2 * H + j]! + r[j]! * hh[2 * H + j]!));
        h = h.map((hv, j) => (1 - z[j]!) * n[j]! + z[j]! * hv);
      } else {
        const g = (k: number, j: number) => xi[k * H + j]! + hh[k * H + j]!;
        c = c.map((cv, j) => sig(g(1, j)) * cv + sig(g(0, j)) * Math.tanh(g(2, j)));
        h = c.map((cv, j) => sig(g(3, j)) * Math.tanh(cv));
      }
      out[t] = h;
    }
    void D;
    return out;
  });
}

describe('recurrent nets', () => {
  for (const kind of ['gru', 'lstm'] as const) {
    for (const reverse of [false, true]) {
      it(`${kind}${reverse ? ' (reverse)' : ''} matches its equations, per step and from the final state`, () => {
        const T = 4;
        const src = `
data s: Real[${T}, 3]
net per: Real[${T}, 3] -> Real[${T}, 2] = ${kind}(hidden: 5, reverse: ${reverse})
net last: Real[${T}, 3] -> Real[2] = ${kind}(hidden: 5, reverse: ${reverse})
model {
  z: Real[2] ~ Normal(last(s), 1)
  let u = per(s)
}
guide { z ~ Normal(zeros(2), 1) }
`;
        const prog = compile(src);
        try {
          const xs = tf.randomNormal([2, T, 3], 0, 1, 'float32', 6);
          const perOut = prog.compiled.nets.get('per')!.apply([xs], prog.store)[0]!; // [2, T, 2]
          const lastOut = prog.compiled.nets.get('last')!.apply([xs], prog.store)[0]!; // [2, 2]
          expect(perOut.shape).toEqual([2, T, 2]);
          const x = xs.arraySync() as number[][][];
          for (const [name, out] of [['per', perOut], ['last', lastOut]] as const) {
            const P = Object.fromEntries(['wi', 'wh', 'bi', 'bh', 'head.w', 'head.b'].map((k) => [k, prog.param(`${name}.${k}`).dataSync() as Float32Array]));
            const hs = reference(kind, x, P, 5, reverse);
            const head = (h: number[]) => [0, 1].map((o) => P['head.b']![o]! + h.reduce((s, v, j) => s + v * P['head.w']![j * 2 + o]!, 0));
            const want = name === 'per' ? hs.flatMap((seq) => seq.flatMap(head)) : hs.flatMap((seq) => head(seq[reverse ? 0 : T - 1]!));
            close(out.dataSync(), want);
          }
          tf.dispose([xs, perOut, lastOut]);
        } finally {
          prog.dispose();
        }
      });
    }
  }
});

describe('vae check', () => {
  it('prints the layer shapes of sequential nets (docs/cli.md shows this output)', async () => {
    const { main } = await import('../../src/cli/main');
    const { captureIo } = await import('../helpers/io');
    const io = captureIo();
    expect(await main(['check', 'models/conv-vae.vae'], io)).toBe(0);
    const out = io.stdout.join('\n');
    const fs = await import('node:fs');
    const doc = fs.readFileSync('docs/cli.md', 'utf8');
    const shown = /```\n(layer shapes:[\s\S]*?)```/.exec(doc)![1]!.trim();
    expect(out).toContain(shown);
    expect(out).toContain('deconv2d(1, kernel 4, stride 2, padding 1)   [1, 28, 28]');
  });
});
