/**
 * The front end's limits (docs/language.md, "Limits"): nesting up to the limits checks and runs,
 * one level more is a located VAE107 (never a stack overflow); long files, long lists and 1 MB of
 * random tokens are diagnosed without crashing; a byte-order mark is skipped; an unclosed `/*` is
 * VAE106; sizes too large to allocate are VAE317 with the parameter count; the parameter count
 * of the check agrees with the engine's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, gradients } from '../../src/api';
import { Program } from '../../src/api';
import { netParameterCount, MAX_PARAMETERS } from '../../src/dsl/check-size';
import { checkFile, checkText } from '../../src/check';
import { MAX_EXPR_DEPTH, MAX_NESTING, MAX_SYNTAX_ERRORS } from '../../src/dsl/limits';
import { renderDiagnostics } from '../../src/dsl/render-diagnostic';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const codes = (text: string) => checkText(text, 'a.vae').diagnostics.map((d) => d.code);
const MODEL_TAIL = '\ndata x: Real[2]\nmodel { x ~ Normal(0, 1) }\n';

/** A seeded stream of uniforms (a 32-bit LCG; enough for picking tokens). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('nesting limits', () => {
  const cases: [string, (n: number) => string][] = [
    ['parentheses', (n) => `const A = ${'('.repeat(n)}1${')'.repeat(n)}`],
    ['list brackets', (n) => `const A = ${'['.repeat(n)}1${']'.repeat(n)}`],
    ['minus signs', (n) => `const A = ${'-'.repeat(n)}1`],
    ['calls', (n) => `const A = ${'exp('.repeat(n)}1${')'.repeat(n)}`],
  ];
  for (const [what, gen] of cases) {
    it(`${what}: ${MAX_NESTING} levels parse, ${MAX_NESTING + 1} are VAE107 with a location`, () => {
      expect(codes(gen(MAX_NESTING) + MODEL_TAIL)).not.toContain('VAE107');
      const r = checkText(gen(MAX_NESTING + 1) + MODEL_TAIL, 'a.vae');
      const d = r.diagnostics.find((x) => x.code === 'VAE107');
      expect(d?.message).toContain(`more than ${MAX_NESTING} levels`);
      expect(d!.primary.span.start).toBeGreaterThan(10);
      // Far deeper input is refused the same way (this used to overflow the stack).
      expect(codes(gen(20_000) + MODEL_TAIL)).toEqual(['VAE107']);
    });
  }

  it('deep nesting in one declaration does not count against the next one', () => {
    const half = `const A = ${'('.repeat(60)}1${')'.repeat(60)}\n`;
    expect(codes(half + half.replace('A', 'B') + MODEL_TAIL)).toEqual([]);
  });

  it(`a sum of ${MAX_EXPR_DEPTH} terms checks; one more term is VAE107 at the start of the expression`, () => {
    const sum = (n: number) => `const A = ${Array.from({ length: n }, () => '1').join(' + ')}${MODEL_TAIL}`;
    const ok = checkText(sum(MAX_EXPR_DEPTH), 'a.vae');
    expect(ok.diagnostics).toEqual([]);
    for (const n of [MAX_EXPR_DEPTH + 1, 20_000]) {
      const r = checkText(sum(n), 'a.vae');
      expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE107']);
      expect(r.diagnostics[0]!.primary.span.start).toBe('const A = '.length);
      const text = renderDiagnostics(r.diagnostics, r.sources);
      // The rendered line is a window, not the whole 20,000-term line.
      expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThan(300);
    }
  });

  it('an expression at the depth limit compiles and gets gradients', () => {
    // Normal(...) is one level, the sum of n terms n levels: MAX_EXPR_DEPTH - 1 terms in all.
    const terms = Array.from({ length: MAX_EXPR_DEPTH - 1 }, () => 'm').join(' + ');
    const prog = compile(`data x: Real[2]\nparam m: Real[2]\nmodel { x ~ Normal(${terms}, 1) }`);
    try {
      const x = tf.tensor2d([[1, 2]]); // [1, 2]
      const g = gradients(prog, prog.batch({ x }), { seed: 1 });
      // d/dm log N(x | n m, 1) = n (x - n m) at m = 0: n x.
      const n = MAX_EXPR_DEPTH - 1;
      expect(Array.from(g.grads.get('param.m')!)).toEqual([n * 1, n * 2].map((v) => expect.closeTo(v, 0)));
      x.dispose();
    } finally {
      prog.dispose();
    }
  });
});

describe('long input', () => {
  it('20,000 declarations and a 20,000-item list check without recursion trouble', () => {
    const decls = Array.from({ length: 20_000 }, (_, i) => `const C${i} = ${i}`).join('\n');
    expect(codes(decls + MODEL_TAIL)).toEqual([]);
    const list = `const L = [${Array.from({ length: 20_000 }, (_, i) => i).join(', ')}]`;
    // A list is not a number: the const is refused, with one diagnostic and no crash.
    expect(codes(list + MODEL_TAIL)).toEqual(['VAE308']);
  });

  it('1 MB of random tokens: the parser stops after the first errors, no crash', () => {
    const pool = ['data', 'const', 'param', 'net', 'model', 'guide', 'train', 'let', 'extends', 'x', 'y', 'z', 'Real', 'Normal', 'mlp', '~', '?', ':', ',', ';', '.', '=', '->', '-', '+', '*', '/', '(', ')', '[', ']', '{', '}', '0', '1', '0.5', '"a"', '\n', '/*', '*/', '"'];
    for (const seed of [1, 2]) {
      const u = lcg(seed);
      const parts: string[] = [];
      let len = 0;
      while (len < 1_000_000) {
        const t = pool[Math.floor(u() * pool.length)]!;
        parts.push(t);
        len += t.length + 1;
      }
      const r = checkText(parts.join(' '), 'r.vae');
      expect(r.diagnostics.length).toBeGreaterThan(0);
      expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
      expect(renderDiagnostics(r.diagnostics, r.sources)).not.toMatch(/Maximum call stack|internal|undefined|NaN/);
    }
  });

  it('unbalanced brackets all the way down: located VAE107, no crash', () => {
    const r = checkText(`model { z ~ Normal(${'('.repeat(300_000)}`, 'a.vae');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE107']);
  });

  it('garbage with many errors on separate lines ends in "too many syntax errors"', () => {
    const r = checkText(Array.from({ length: 5_000 }, () => 'data = =').join('\n'), 'g.vae');
    expect(r.diagnostics.at(-1)!.message).toBe(`too many syntax errors: stopped after ${MAX_SYNTAX_ERRORS}`);
    expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
  });
});

describe('lexical details', () => {
  it('a UTF-8 byte-order mark at the start of a file is skipped, and columns are unchanged', () => {
    const text = fs.readFileSync(path.join(root, 'models/vae.vae'), 'utf8');
    expect(checkText(`\uFEFF${text}`, 'bom.vae').diagnostics).toEqual([]);
    const bad = checkText('\uFEFFdata x: Binary[784]\nmodel { x ~ Bernoulli(logits: foo) }', 'bom.vae');
    expect(bad.diagnostics[0]!.code).toBe('VAE201');
    expect(renderDiagnostics(bad.diagnostics, bad.sources)).toContain('bom.vae:2:31:');
  });

  it('an unclosed /* is VAE106 at the comment, not an unexpected `/`', () => {
    const r = checkText('data x: Real[2]\nmodel { x ~ Normal(0, 1) }\n/* unfinished\nmodel {', 'c.vae');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE106']);
    expect(renderDiagnostics(r.diagnostics, r.sources)).toContain('c.vae:3:1: error[VAE106]: this comment is never closed');
  });
});

describe('sizes (VAE317)', () => {
  it('a billion-dimensional latent is refused at check time with the parameter count and memory', () => {
    const text = fs.readFileSync(path.join(root, 'models/vae.vae'), 'utf8').replace(/const Z = \d+/, 'const Z = 1000000000');
    const r = checkText(text, 'big.vae');
    const d = r.diagnostics.find((x) => x.code === 'VAE317' && x.message.includes('parameters'));
    expect(d?.message).toMatch(/^this program has [\d,]+ parameters: [\d.]+ TiB as float32, [\d.]+ TiB to train/);
    expect(r.checked).toBeUndefined();
  });

  it('just under the parameter limit checks; just over is refused', () => {
    // A param of n elements is n parameters (no nets).
    const prog = (n: number) => `data x: Real[1]\nparam m: Real[${n}]\nmodel { x ~ Normal(0, 1) }\ntrain { batch: 1 }`;
    expect(codes(prog(MAX_PARAMETERS))).toEqual([]);
    expect(codes(prog(MAX_PARAMETERS + 1))).toEqual(['VAE317']);
  });

  it("the check's parameter count equals the engine's for every model without flows or learnable priors", () => {
    const models = fs.readdirSync(path.join(root, 'models')).filter((f) => f.endsWith('.vae'));
    let compared = 0;
    for (const f of models) {
      const r = checkFile(`models/${f}`, { cwd: root });
      const cp = r.checked!;
      const counted = cp.nets.reduce((n, net) => n + netParameterCount(net), 0) + cp.params.reduce((n, p) => n + p.type.shape.reduce((a, b) => a * b, 1), 0);
      const prog = new Program(cp, r.plan!, 1);
      const actual = prog.store.size();
      prog.dispose();
      expect(counted).toBeLessThanOrEqual(actual);
      if (!/Flow\(|Vamp|Mixture|learnable/.test(fs.readFileSync(path.join(root, 'models', f), 'utf8'))) {
        expect(counted, f).toBe(actual);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});
