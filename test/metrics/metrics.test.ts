// metrics.jsonl: parsing (both kinds, lines from before step lines existed, nulls for
// non-finite values, errors that name the line), the tidy CSV, and the repair a resumed run
// makes (lines past its checkpoint and a cut-off last line dropped, nothing else touched).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { CSV_COLUMNS, metricsCsv } from '../../src/metrics/csv';
import { appendMetrics, readMetricsFile, reconcileMetrics } from '../../src/metrics/file';
import { metricsLine, parseMetrics, type MetricsRecord, type StepRecord } from '../../src/metrics/records';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-metrics-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const step = (n: number, extra: Partial<StepRecord> = {}): StepRecord => ({ kind: 'step', step: n, epoch: n / 10, steps: 1, loss: 100 - n, elbo: n - 100, kl: 5, beta: 1, gradNorm: 2.5, lr: 1e-3, examplesPerSec: 900, seconds: 0.1, ...extra });
const epochLine = '{"kind":"epoch","epoch":1,"step":10,"trainElbo":-95,"validElbo":-96,"kl":5,"validKl":5.5,"examplesPerSec":800,"seconds":1.2}';
const legacy = '{"epoch":1,"step":10,"trainElbo":-95,"validElbo":null,"kl":5,"validKl":null,"examplesPerSec":800,"seconds":1.2}';

function error(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('parseMetrics', () => {
  it('reads step and epoch lines, lines without a kind as epoch lines, and null as NaN', () => {
    const text = [metricsLine(step(1)), metricsLine(step(2, { gradNorm: NaN, loss: Infinity })), '', epochLine, legacy, '{"kind":"note","text":"later kinds are skipped"}'].join('\n');
    const recs = parseMetrics(text);
    expect(recs.map((r) => r.kind)).toEqual(['step', 'step', 'epoch', 'epoch']);
    expect(recs[0]).toEqual(step(1));
    expect((recs[1] as StepRecord).gradNorm).toBeNaN();
    expect((recs[1] as StepRecord).loss).toBeNaN();
    expect(metricsLine(step(2, { gradNorm: NaN }))).toContain('"gradNorm":null');
    expect(recs[3]).toMatchObject({ kind: 'epoch', epoch: 1, validElbo: null, validKl: null });
  });

  it("keeps an epoch line's CPU seconds (absent in older lines) and refuses a non-number", () => {
    const recs = parseMetrics([epochLine.replace('}', ',"cpuSeconds":0.9}'), epochLine].join('\n'));
    expect(recs[0]).toMatchObject({ kind: 'epoch', seconds: 1.2, cpuSeconds: 0.9 });
    expect(recs[1]).not.toHaveProperty('cpuSeconds');
    expect(error(() => parseMetrics(epochLine.replace('}', ',"cpuSeconds":"1"}'))).message).toContain('a wrong value for `cpuSeconds` in an epoch line');
  });

  it('names the file and the line of the first bad line', () => {
    const good = metricsLine(step(1));
    expect(error(() => parseMetrics(`${good}\n{"kind":"st`, 'runs/x/metrics.jsonl')).message).toBe('runs/x/metrics.jsonl:2: not a JSON object (cut off or corrupt): {"kind":"st');
    expect(error(() => parseMetrics(`${good}\n\n[1, 2]`)).message).toMatch(/^metrics\.jsonl:3: not a JSON object: \[1, 2\]$/);
    const missing = error(() => parseMetrics(JSON.stringify({ ...step(1), gradNorm: undefined })));
    expect(missing.message).toMatch(/^metrics\.jsonl:1: missing `gradNorm` in a step line \(expected a number\): \{"kind":"step"/);
    expect(missing.line).toBe(1);
    expect(missing.hint).toContain('vae train --resume');
    expect(error(() => parseMetrics(JSON.stringify({ ...step(1), step: 1.5 }))).message).toContain('a wrong value for `step` in a step line (expected a count)');
    expect(error(() => parseMetrics('{"kind":"epoch","epoch":"one"}')).message).toContain('a wrong value for `epoch` in an epoch line');
    expect(error(() => parseMetrics(`${'x'.repeat(100)}`)).message).toMatch(/x{57}\.\.\.$/); // long lines are cut in the message
  });
});

describe('metricsCsv', () => {
  it('writes one row per line, one column per quantity, empty cells for what a kind lacks', () => {
    const recs: MetricsRecord[] = parseMetrics([metricsLine(step(1, { kl: NaN })), epochLine].join('\n'));
    const csv = metricsCsv(recs);
    const [head, a, b, end] = csv.split('\n');
    expect(head).toBe('kind,step,epoch,steps,loss,elbo,kl,beta,grad_norm,lr,examples_per_sec,seconds,valid_elbo,valid_kl');
    expect(head!.split(',')).toEqual([...CSV_COLUMNS]);
    expect(a).toBe('step,1,0.1,1,99,-99,,1,2.5,0.001,900,0.1,,');
    expect(b).toBe('epoch,10,1,,,-95,5,,,,800,1.2,-96,5.5');
    expect(end).toBe('');
    expect(metricsCsv(recs, new Set(['epoch'])).split('\n')).toHaveLength(3);
  });
});

describe('metrics files', () => {
  it('reports a missing file, and appends lines with one write', () => {
    expect(error(() => readMetricsFile(path.join(tmp, 'none.jsonl'))).message).toContain('does not exist');
    const f = path.join(tmp, 'append.jsonl');
    appendMetrics(f, [step(1), step(2)]);
    appendMetrics(f, []);
    expect(readMetricsFile(f).map((r) => r.step)).toEqual([1, 2]);
  });

  it('a resumed run drops the lines past its checkpoint and a cut-off last line', () => {
    const f = path.join(tmp, 'resume.jsonl');
    const lines = [1, 2, 3].map((n) => metricsLine(step(n))).concat(['{"kind":"note"}', epochLine.replace('"step":10', '"step":3'), metricsLine(step(4)), metricsLine(step(5))]);
    fs.writeFileSync(f, `${lines.join('\n')}\n{"kind":"step","step":6,"ep`);
    reconcileMetrics(f, 4);
    expect(fs.readFileSync(f, 'utf8')).toBe(`${lines.slice(0, 6).join('\n')}\n`);
    const before = fs.statSync(f).mtimeMs;
    fs.utimesSync(f, new Date(0), new Date(0));
    reconcileMetrics(f, 4); // nothing to change: the file is not rewritten
    expect(fs.statSync(f).mtimeMs).not.toBe(before);
    expect(fs.statSync(f).mtimeMs).toBe(0);
    reconcileMetrics(path.join(tmp, 'absent.jsonl'), 3);
    expect(fs.existsSync(path.join(tmp, 'absent.jsonl'))).toBe(false);
  });
});
