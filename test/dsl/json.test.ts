/** The `vae check --json` shape: one object per diagnostic, built by diagnosticToJson. */
import { describe, expect, it } from 'vitest';
import { CODES, diag } from '../../src/dsl/diagnostics';
import { checkText } from '../../src/check';
import { diagnosticToJson } from '../../src/dsl/render-diagnostic';

describe('diagnosticToJson', () => {
  it('has exactly the documented fields, 1-based positions and the catalog title', () => {
    const src = 'data x: Real[3]\nmodel {\n  x ~ Normal(0, sigma)\n}\n';
    const r = checkText(src, 'models/bad.vae');
    expect(r.diagnostics).toHaveLength(1);
    const j = diagnosticToJson(r.diagnostics[0]!, r.sources);
    expect(j).toEqual({
      code: 'VAE201',
      severity: 'error',
      message: 'unknown name `sigma`',
      title: CODES.VAE201.title,
      file: 'models/bad.vae',
      line: 3,
      column: 17,
      endLine: 3,
      endColumn: 22,
      hint: expect.stringContaining('declare it'),
      data: { kind: 'unknown-name', found: 'sigma', expected: ['x'], scope: 'block' },
    });
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('a diagnostic without a hint has `hint: null`', () => {
    const r = checkText('data x: Real[3]\nmodel { x ~ Normal(0, 1) }\n');
    const d = diag('VAE407', 'made up', { span: { file: 'input.vae', start: 5, end: 6 } });
    expect(diagnosticToJson(d, r.sources)).toMatchObject({ hint: null, line: 1, column: 6, endLine: 1, endColumn: 7, severity: 'warning' });
  });

  it('carries the hint and the end of a multi-line span', () => {
    const src = 'data x: Real[3]\nmodel {\n  let p = Normal(0,\n    1)\n  x ~ Normal(0, 1)\n}\n';
    const r = checkText(src);
    expect(r.diagnostics).toHaveLength(1);
    const j = diagnosticToJson(r.diagnostics[0]!, r.sources);
    expect(j.code).toBe('VAE311');
    expect(j.hint).toEqual(expect.any(String));
    expect([j.line, j.column, j.endLine, j.endColumn]).toEqual([3, 11, 4, 7]);
  });

  it('a warning keeps its severity', () => {
    const r = checkText('data x: Real[3]\ndata y: Real[3]\nmodel { x ~ Normal(0, 1) }\n');
    expect(r.diagnostics.map((d) => diagnosticToJson(d, r.sources)).map((j) => [j.code, j.severity])).toEqual([['VAE407', 'warning']]);
  });

  it('carries the structured fields as data: expected and found values', () => {
    const shape = checkText('data x: Real[3]\nnet dec: Real[2] -> Real[4] = mlp(hidden: [4])\nmodel {\n  z: Real[2] ~ Normal(0, 1)\n  x ~ Normal(dec(z), 1)\n}\nguide {\n  z: Real[2] ~ Normal(0, 1)\n}\n');
    const j = diagnosticToJson(shape.diagnostics.find((d) => d.code === 'VAE301')!, shape.sources);
    expect(j.data).toEqual({ kind: 'shape-mismatch', site: 'x', family: 'Normal', expected: [3], found: [4], declared: { vk: 'Real', shape: [3] } });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);

    const ann = checkText('data x: Real[2]\nmodel {\n  z: Real[2] ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide {\n  z: Real[2] ~ Normal(0, 1) @rsample\n}\n');
    expect(ann.diagnostics.find((d) => d.code === 'VAE209')?.data).toEqual({ kind: 'unknown-annotation', found: 'rsample', expected: ['reparam', 'score', 'enumerate', 'stl', 'dreg', 'vimco'], suggestion: 'reparam' });

    const stl = checkText('data x: Real[2]\nmodel {\n  z: Real[2] ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide {\n  z: Real[2] ~ Normal(0, 1) @stl\n}\ntrain { objective: iwae(k: 3) }\n');
    expect(stl.diagnostics.map((d) => [d.code, d.data])).toEqual([['VAE505', { kind: 'elbo-estimator-under-iwae', site: 'z', estimator: 'stl', via: 'annotation', objective: 'iwae:3', counterpart: 'dreg' }]]);

    const cli = checkText('data x: Real[2]\nmodel {\n  z: Real[2] ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide {\n  z: Real[2] ~ Normal(0, 1)\n}\n', 'input.vae', { overrides: new Map([['z', 'magic']]) });
    expect(cli.diagnostics[0]?.data).toEqual({ kind: 'unknown-estimator', site: 'z', found: 'magic', expected: ['reparam', 'score', 'enumerate', 'stl', 'dreg', 'vimco'] });
  });

  it('a missing extended file points at the path string', () => {
    const r = checkText('extends "nowhere.vae"\n');
    const j = diagnosticToJson(r.diagnostics[0]!, r.sources);
    expect([j.code, j.line, j.column]).toEqual(['VAE605', 1, 9]);
  });
});
