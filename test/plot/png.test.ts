import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Canvas } from '../../src/plot/canvas';
import { encodePng, writeCanvasPng } from '../../src/plot/png';

const dir = mkdtempSync(join(tmpdir(), 'vae-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PNG output', () => {
  it('encodes the canvas pixels losslessly', () => {
    const c = new Canvas(7, 5, '#ffffff');
    c.fillRect(1, 1, 2, 2, '#12ab34');
    const png = PNG.sync.read(encodePng(c));
    expect([png.width, png.height]).toEqual([7, 5]);
    expect(Array.from(png.data)).toEqual(Array.from(c.data));
  });

  it('writes atomically into a new directory, leaving no temporary file', () => {
    const path = join(dir, 'nested', 'deeper', 'plot.png');
    writeCanvasPng(path, new Canvas(30, 20, '#000000'));
    writeCanvasPng(path, new Canvas(40, 25, '#ffffff'));
    const png = PNG.sync.read(readFileSync(path));
    expect([png.width, png.height]).toEqual([40, 25]);
    expect(readdirSync(join(dir, 'nested', 'deeper'))).toEqual(['plot.png']);
  });

  it('reports a failed write and cleans up', () => {
    const blocker = join(dir, 'file');
    writeCanvasPng(blocker, new Canvas(2, 2));
    expect(() => writeCanvasPng(join(blocker, 'x.png'), new Canvas(2, 2))).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
