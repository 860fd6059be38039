/**
 * PNG output: image grids of samples and reconstructions, and raw RGBA images.
 *
 * Contract. Grids are composed by src/figures/grid.ts (gray levels clamped to [0, 1], opaque
 * RGBA). Files are written atomically (temp file + rename) with `pngjs`; a
 * failure is a DataError naming the file. {@link readPngSize} reads only the IHDR chunk.
 */
import { PNG } from 'pngjs';
import { DataError, q } from './errors';
import { readBytes, writeFileAtomic } from './files';
import type { NdArray } from './ndarray';
import { composeGrid, type GridImages, type GridOptions } from '../figures/grid';

export type { GridOptions } from '../figures/grid';

/** Width and height of a written image, in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Writes grayscale images in [0, 1] as a grid PNG (composed by src/figures/grid.ts).
 * @param images flat images (`height`x`width`, default square) or an NdArray [n, h, w] / [n, h*w]
 * @returns the size of the written PNG
 */
export function writeImageGrid(file: string, images: readonly Float32Array[] | NdArray, opts: GridOptions = {}): ImageSize {
  const g = composeGrid(images as GridImages, opts);
  writeRgbPng(file, g.width, g.height, g.rgba);
  return { width: g.width, height: g.height };
}

/** Writes an RGBA image (`width * height * 4` bytes, row-major) as a PNG, atomically. */
export function writeRgbPng(file: string, width: number, height: number, rgba: Uint8Array): void {
  if (rgba.length !== width * height * 4) throw new RangeError(`writeRgbPng: ${width}x${height} needs ${width * height * 4} bytes, got ${rgba.length}`);
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const bytes = PNG.sync.write(png);
  writeFileAtomic(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads the width and height of a PNG file from its IHDR chunk. */
export function readPngSize(file: string): ImageSize {
  const b = readBytes(file);
  const ihdr = String.fromCharCode(...b.subarray(12, 16));
  if (b.length < 24 || SIGNATURE.some((v, i) => b[i] !== v) || ihdr !== 'IHDR') {
    throw new DataError(`${q(file)} is not a PNG file: expected the PNG signature and an IHDR chunk`, { file });
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: view.getUint32(16, false), height: view.getUint32(20, false) };
}
