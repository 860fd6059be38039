/**
 * Rendering of diagnostics: `file:line:col: severity[CODE]: message`, the source line, carets
 * under the whole span, second locations, one hint line; tabs, CRLF, spans at the end of the
 * file and spans over several lines.
 */
import { describe, expect, it } from 'vitest';
import { diag } from '../../src/dsl/diagnostics';
import { checkText } from '../../src/check';
import { renderDiagnostic, renderDiagnostics } from '../../src/dsl/render-diagnostic';
import { makeSource } from '../../src/dsl/source';

function render(text: string, color = false): string {
  const r = checkText(text);
  return renderDiagnostics(r.diagnostics, r.sources, { color });
}

describe('rendering', () => {
  it('underlines the whole token or expression', () => {
    expect(render('data x: Real[3]\nmodel {\n  x ~ Normal(0, sigma)\n}\n')).toBe(
      [
        'input.vae:3:17: error[VAE201]: unknown name `sigma`',
        '  |',
        '3 |   x ~ Normal(0, sigma)',
        '  |                 ^^^^^',
        '  = hint: declare it (`data`, `const`, `param`) or define it above this line with a site or `let`',
        '',
        '1 error',
      ].join('\n'),
    );
    const call = render('data x: Real[3]\nmodel {\n  x ~ Normal(0)\n}\n').split('\n');
    expect(call.slice(2, 4)).toEqual(['3 |   x ~ Normal(0)', '  |       ^^^^^^^^^']);
  });

  it('shows a second location with its own snippet, and the hint last', () => {
    const out = render('data x: Real[3]\ndata x: Real[3]\nmodel { x ~ Normal(0, 1) }\n');
    expect(out).toBe(
      [
        'input.vae:2:6: error[VAE207]: `x` is declared twice',
        '  |',
        '2 | data x: Real[3]',
        '  |      ^ this data declaration',
        'input.vae:1:6: note: first declared here',
        '  |',
        '1 | data x: Real[3]',
        '  |      ^',
        '  = hint: rename one of them',
        '',
        '1 error',
      ].join('\n'),
    );
  });

  it('expands tabs in the line and under it alike, so the carets stay aligned', () => {
    const out = render('data x: Real[3]\nmodel {\n\tx ~ Normal(0,\t-1)\n}\n').split('\n');
    expect(out[0]).toBe('input.vae:3:16: error[VAE306]: `scale` of `Normal` must be Positive, found -1');
    expect(out[2]).toBe('3 |     x ~ Normal(0,    -1)');
    expect(out[3]).toBe('  |                      ^^');
    expect(out[2]!.indexOf('-1')).toBe(out[3]!.indexOf('^'));
    expect(out.join('\n')).not.toContain('\t');
  });

  it('a span at the end of the file points just after the last token', () => {
    const text = 'data x: Real[3]\nmodel {\n  x ~ Normal(0, 1)';
    const r = checkText(text);
    const d = r.diagnostics[0]!;
    expect(d.primary.span.start).toBe(text.length);
    expect(d.primary.span.end).toBe(text.length);
    const out = renderDiagnostic(d, r.sources).split('\n');
    expect(out.slice(0, 4)).toEqual(["input.vae:3:19: error[VAE103]: expected '}' but found the end of the file", '  |', '3 |   x ~ Normal(0, 1)', '  |                   ^']);
    expect(out[4]).toBe('input.vae:2:7: note: this `{` is never closed');
  });

  it('a span over several lines underlines the first line to its end and marks the rest', () => {
    const out = render('data x: Real[3]\nmodel {\n  let p = Normal(0,\n    1)\n  x ~ Normal(0, 1)\n}\n').split('\n');
    expect(out.slice(0, 4)).toEqual(['input.vae:3:11: error[VAE311]: a distribution cannot be bound with `let`', '  |', '3 |   let p = Normal(0,', '  |           ^^^^^^^^^...']);
  });

  it('CRLF line endings: the columns and lines are right and no \\r is printed', () => {
    const out = render('data x: Real[3]\r\nmodel {\r\n  x ~ Normal(0, sigma)\r\n}\r\n');
    expect(out.split('\n').slice(0, 4)).toEqual(['input.vae:3:17: error[VAE201]: unknown name `sigma`', '  |', '3 |   x ~ Normal(0, sigma)', '  |                 ^^^^^']);
    expect(out).not.toContain('\r');
  });

  it('widens the gutter for long line numbers', () => {
    const out = render(`data x: Real[3]\nmodel {\n  x ~ Normal(0, 1)\n}\n${'\n'.repeat(6)}data y: Real[3]\n`).split('\n');
    expect(out.slice(0, 4)).toEqual(['input.vae:11:6: warning[VAE407]: data `y` is never used', '   |', '11 | data y: Real[3]', '   |      ^']);
    expect(out[out.length - 1]).toBe('1 warning');
  });

  it('counts errors and warnings; nothing for no diagnostics', () => {
    expect(render('data x: Real[3]\nmodel {\n  x ~ Normal(0, 1)\n}\n')).toBe('');
    const out = render('data x: Real[3]\ndata y: Real[3]\nmodel {\n  x ~ Normal(0, s)\n  w ~ Normal(0, t)\n}\n');
    expect(out.split('\n').pop()).toBe('2 errors, 1 warning');
  });

  it('colour only when asked', () => {
    const text = 'data x: Real[3]\nmodel {\n  x ~ Normal(0, sigma)\n}\n';
    expect(render(text)).not.toContain('\x1b[');
    const coloured = render(text, true);
    expect(coloured).toContain('\x1b[');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(render(text));
  });

  it('a diagnostic whose file is not among the sources prints its head and hint only', () => {
    const d = diag('VAE605', 'cannot read `x.vae`', { span: { file: 'x.vae', start: 0, end: 0 } }, { hint: 'check the path' });
    expect(renderDiagnostic(d, new Map([['other.vae', makeSource('other.vae', '')]]))).toBe('x.vae: error[VAE605]: cannot read `x.vae`\n  = hint: check the path');
  });
});
