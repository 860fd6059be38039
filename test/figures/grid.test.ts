// Captioned image grids: the grid's pixels reach the PNG unchanged (zoom 1, pixelated), the
// captions are laid out so column labels never overlap, text is escaped, and rows and columns
// are labelled as asked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { captionedGridSvg, captionLayout, composeGrid } from '../../src/figures/index';
import { gridFigureLayout, shippedFontMetrics, writeGridFigure } from '../../src/figures/node/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-grid-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const images = (n: number, h: number, w: number) => Array.from({ length: n }, (_, i) => Float32Array.from({ length: h * w }, (_, j) => ((i * 7 + j) % 11) / 10));

describe('captioned grids', () => {
  it('keep every pixel of the grid, and add the captions around it', () => {
    const grid = composeGrid(images(6, 4, 5), { rows: 2, cols: 3, height: 4, width: 5, scale: 2 });
    const captions = { title: 'six images', rowLabels: ['original', 'reconstruction'], colLabels: ['a', 'b', 'c'], colTitle: 't' };
    const [svgFile, pngFile] = writeGridFigure(path.join(tmp, 'g'), grid, captions);
    const L = gridFigureLayout(grid, captions);
    const png = PNG.sync.read(fs.readFileSync(pngFile!));
    expect([png.width, png.height]).toEqual([L.width, L.height]);
    let same = 0;
    for (let y = 0; y < grid.height; y++) for (let x = 0; x < grid.width; x++) {
      const o = ((L.gridY + y) * png.width + L.gridX + x) * 4;
      if ([0, 1, 2, 3].every((c) => png.data[o + c] === grid.rgba[(y * grid.width + x) * 4 + c])) same++;
    }
    expect(same).toBe(grid.width * grid.height);
    // text left of and above the grid
    let dark = 0;
    for (let y = 0; y < png.height; y++) for (let x = 0; x < L.gridX; x++) if (png.data[(y * png.width + x) * 4]! < 100) dark++;
    expect(dark).toBeGreaterThan(100);
    const svg = fs.readFileSync(svgFile!, 'utf8');
    for (const t of ['six images', 'original', 'reconstruction', '>a<', '>b<', '>c<', '>t<']) expect(svg).toContain(t);
    expect(svg).toContain('image-rendering="optimizeSpeed"');
    expect(fs.readdirSync(tmp).sort()).toEqual(['g.png', 'g.svg']);
  });

  it('show only every k-th column label when the labels are wider than the columns, so none overlap', () => {
    const g = { width: 20 * 11 + 1, height: 11 * 3 + 1, rows: 3, cols: 20, cell: { width: 10, height: 10, pad: 1 } };
    const labels = Array.from({ length: 20 }, (_, i) => `−${(i / 10).toFixed(2)}`);
    const measure = (t: string, s: number) => shippedFontMetrics().width(t, s);
    const L = captionLayout(g, { colLabels: labels, colLabelsAt: 'bottom', rowLabels: ['1', '2', '3'] }, measure);
    expect(L.colEvery).toBeGreaterThan(1);
    const shown = L.texts.filter((t) => t.anchor === 'middle');
    expect(shown).toHaveLength(Math.ceil(20 / L.colEvery));
    for (let i = 1; i < shown.length; i++) {
      const gap = shown[i]!.x - shown[i - 1]!.x;
      expect(gap).toBeGreaterThan((measure(shown[i]!.text, L.fontSize) + measure(shown[i - 1]!.text, L.fontSize)) / 2);
    }
    expect(shown.every((t) => t.y > L.gridY + g.height)).toBe(true); // under the grid
    expect(L.texts.filter((t) => t.anchor === 'end').map((t) => t.text)).toEqual(['1', '2', '3']);
  });

  it('escape text, and label a 28-pixel grid with readable (10 px or larger) text', () => {
    const g = { width: 30, height: 30, rows: 1, cols: 1, cell: { width: 28, height: 28, pad: 1 } };
    const svg = captionedGridSvg(g, { title: 'a < b & "c"' }, 'data:image/png;base64,AAAA');
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(captionLayout(g, { title: 'x' }).fontSize).toBe(10);
    expect(captionLayout({ ...g, cell: { width: 56, height: 56, pad: 1 } }, {}).fontSize).toBe(12);
  });
});
