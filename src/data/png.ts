/**
 * PNG output: image grids of samples and reconstructions, and raw RGBA images.
 *
 * Contract. Gray levels are clamped to [0, 1] and mapped to 0..255 (NaN draws as 0); gray
 * becomes opaque RGBA. Files are written atomically (temp file + rename) with `pngjs`; a
 * failure is a DataError naming the file. {@link readPngSize} reads only the IHDR chunk.
 */
import { PNG } from 'pngjs';
import { DataError, q } from './errors';
import { readBytes, writeFileAtomic } from './files';
import { type NdArray, formatShape } from './ndarray';

/** Layout of an image grid. */
export interface GridOptions {
  /** Grid rows (default: enough for `cols`). */
  readonly rows?: number;
  /** Grid columns (default: ceil(sqrt(n)), or enough for `rows`). */
  readonly cols?: number;
  /** Pixels between and around images (default 1). */
  readonly pad?: number;
  /** Gray level of the padding, in [0, 1] (default 0.5). */
  readonly padValue?: number;
  /** Integer upscaling of every pixel (default 1). */
  readonly scale?: number;
  /** Image height, when `images` is a list of flat arrays (default: square). */
  readonly height?: number;
  /** Image width, when `images` is a list of flat arrays (default: square). */
  readonly width?: number;
}

/** Width and height of a written image, in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

function toImages(images: readonly Float32Array[] | NdArray, opts: GridOptions): { n: number; h: number; w: number; get: (i: number) => ArrayLike<number> } {
  if (Array.isArray(images)) {
    const list = images as readonly Float32Array[];
    const len = list[0]?.length ?? 0;
    const side = Math.round(Math.sqrt(len));
    const h = opts.height ?? (opts.width !== undefined ? len / opts.width : side);
    const w = opts.width ?? (opts.height !== undefined ? len / opts.height : side);
    if (!Number.isInteger(h) || !Number.isInteger(w) || h * w !== len || list.some((a) => a.length !== len)) {
      throw new RangeError(`writeImageGrid: images of ${len} values do not form ${h}x${w} images; pass height and width`);
    }
    return { n: list.length, h, w, get: (i) => list[i] as Float32Array };
  }
  const arr = images as NdArray;
  let h: number;
  let w: number;
  if (arr.shape.length === 3) [, h, w] = arr.shape as [number, number, number];
  else if (arr.shape.length === 2 && opts.height !== undefined) [h, w] = [opts.height, (arr.shape[1] as number) / opts.height];
  else if (arr.shape.length === 2) h = w = Math.round(Math.sqrt(arr.shape[1] as number));
  else throw new RangeError(`writeImageGrid: expected images of shape [n, h, w] or [n, h*w], got ${formatShape(arr.shape)}`);
  const n = arr.shape[0] as number;
  if (!Number.isInteger(w) || h * w * n !== arr.data.length) throw new RangeError(`writeImageGrid: shape ${formatShape(arr.shape)} does not form ${h}x${w} images`);
  return { n, h, w, get: (i) => arr.data.subarray(i * h * w, (i + 1) * h * w) };
}

const byte = (v: number): number => (Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255));

/**
 * Writes grayscale images in [0, 1] as a grid PNG.
 * @param images flat images (`height`x`width`, default square) or an NdArray [n, h, w] / [n, h*w]
 * @returns the size of the written PNG
 */
export function writeImageGrid(file: string, images: readonly Float32Array[] | NdArray, opts: GridOptions = {}): ImageSize {
  const { n, h, w, get } = toImages(images, opts);
  const pad = opts.pad ?? 1;
  const s = opts.scale ?? 1;
  const cols = opts.cols ?? (opts.rows !== undefined ? Math.ceil(n / opts.rows) : Math.max(1, Math.ceil(Math.sqrt(n))));
  const rows = opts.rows ?? Math.max(1, Math.ceil(n / cols));
  if (rows * cols < n) throw new RangeError(`writeImageGrid: a ${rows}x${cols} grid cannot hold ${n} images`);
  const width = cols * (w * s + pad) + pad;
  const height = rows * (h * s + pad) + pad;
  const rgba = new Uint8Array(width * height * 4);
  const bg = byte(opts.padValue ?? 0.5);
  for (let p = 0; p < width * height; p++) rgba.set([bg, bg, bg, 255], p * 4);
  for (let i = 0; i < n; i++) {
    const img = get(i);
    const x0 = pad + (i % cols) * (w * s + pad);
    const y0 = pad + Math.floor(i / cols) * (h * s + pad);
    for (let y = 0; y < h * s; y++) {
      for (let x = 0; x < w * s; x++) {
        const v = byte(img[Math.floor(y / s) * w + Math.floor(x / s)] as number);
        const o = ((y0 + y) * width + x0 + x) * 4;
        rgba[o] = v;
        rgba[o + 1] = v;
        rgba[o + 2] = v;
      }
    }
  }
  writeRgbPng(file, width, height, rgba);
  return { width, height };
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
