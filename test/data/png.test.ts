import * as fs from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { readPngSize, writeImageGrid, writeRgbPng } from '../../src/data/png';
import { thrown, useTempDir } from './tmpdir';

const tmp = useTempDir();

describe('PNG output', () => {
  it('writes an image grid of the right size with the right pixels', () => {
    // 5 images of 4x3 (h x w); image i is uniformly i/4.
    const data = new Float32Array(5 * 12);
    for (let i = 0; i < 5; i++) data.fill(i / 4, i * 12, (i + 1) * 12);
    const size = writeImageGrid(tmp('grid.png'), { shape: [5, 4, 3], data }, { cols: 3, pad: 1 });
    // 3 columns of (3 + 1) plus 1 = 13 wide; 2 rows of (4 + 1) plus 1 = 11 high.
    expect(size).toEqual({ width: 13, height: 11 });
    expect(readPngSize(tmp('grid.png'))).toEqual(size);
    const png = PNG.sync.read(fs.readFileSync(tmp('grid.png')));
    const px = (x: number, y: number): number[] => Array.from(png.data.subarray((y * 13 + x) * 4, (y * 13 + x) * 4 + 4));
    expect(px(1, 1)).toEqual([0, 0, 0, 255]); // image 0
    expect(px(5, 1)).toEqual([64, 64, 64, 255]); // image 1: round(0.25 * 255)
    expect(px(1, 6)).toEqual([191, 191, 191, 255]); // image 3, second row
    expect(px(0, 0)).toEqual([128, 128, 128, 255]); // padding
    expect(px(9, 6)).toEqual([128, 128, 128, 255]); // the empty sixth cell
  });

  it('accepts flat Float32Arrays (square by default), upscaling and clamping', () => {
    const imgs = [new Float32Array(16).fill(2), new Float32Array(16).fill(-1)];
    const size = writeImageGrid(tmp('flat.png'), imgs, { rows: 1, pad: 0, scale: 2 });
    expect(size).toEqual({ width: 16, height: 8 });
    const png = PNG.sync.read(fs.readFileSync(tmp('flat.png')));
    expect(png.data[0]).toBe(255);
    expect(png.data[(8 * 4)]).toBe(0);
    expect(fs.readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes raw RGBA and rejects non-PNG files when reading the size', () => {
    writeRgbPng(tmp('rgb.png'), 2, 3, new Uint8Array(2 * 3 * 4).fill(200));
    expect(readPngSize(tmp('rgb.png'))).toEqual({ width: 2, height: 3 });
    fs.writeFileSync(tmp('not.png'), 'hello, this is not an image');
    const e = thrown(() => readPngSize(tmp('not.png')));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain('is not a PNG file');
  });
});
