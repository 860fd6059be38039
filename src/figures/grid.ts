/**
 * Image grids: grayscale images in [0, 1] tiled into one RGBA bitmap. The one piece of drawing
 * no library does for us; pngjs encodes the result, and grid-captions.ts labels it. Browser-safe.
 *
 * Contract of `composeGrid`. Images are placed row-major, `pad` pixels between and around them,
 * each pixel upscaled `scale` times; gray levels are clamped to [0, 1] and mapped to 0..255 (NaN
 * draws as 0); padding and missing cells have the gray `padValue`. The bitmap is opaque RGBA,
 * cols·(w·scale + pad) + pad wide and rows·(h·scale + pad) + pad high.
 */

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
  /** Image height (default: square images). */
  readonly height?: number;
  /** Image width (default: square images). */
  readonly width?: number;
}

/** Images as a list of flat arrays, or an [n, h, w] / [n, h*w] array. */
export type GridImages = readonly (ArrayLike<number> | undefined)[] | { readonly shape: readonly number[]; readonly data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> } };

export interface GridBitmap {
  readonly width: number;
  readonly height: number;
  /** width · height · 4 bytes, row-major RGBA. */
  readonly rgba: Uint8Array;
  /** Where cell (r, c) starts: x = pad + c·(w·scale + pad), y = pad + r·(h·scale + pad). */
  readonly cell: { readonly width: number; readonly height: number; readonly pad: number };
  readonly rows: number;
  readonly cols: number;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function toImages(images: GridImages, opts: GridOptions): { n: number; h: number; w: number; get: (i: number) => ArrayLike<number> | undefined } {
  if (Array.isArray(images)) {
    const list = images as readonly (ArrayLike<number> | undefined)[];
    const len = list.find((a) => a !== undefined)?.length ?? 0;
    const side = Math.round(Math.sqrt(len));
    const h = opts.height ?? (opts.width !== undefined ? len / opts.width : side);
    const w = opts.width ?? (opts.height !== undefined ? len / opts.height : side);
    if (!Number.isInteger(h) || !Number.isInteger(w) || h * w !== len || list.some((a) => a !== undefined && a.length !== len)) {
      throw new RangeError(`composeGrid: images of ${len} values do not form ${h}x${w} images; pass height and width`);
    }
    return { n: list.length, h, w, get: (i) => list[i] };
  }
  const arr = images as Exclude<GridImages, readonly unknown[]>;
  let h: number;
  let w: number;
  if (arr.shape.length === 3) [, h, w] = arr.shape as [number, number, number];
  else if (arr.shape.length === 2 && opts.height !== undefined) [h, w] = [opts.height, arr.shape[1]! / opts.height];
  else if (arr.shape.length === 2) h = w = Math.round(Math.sqrt(arr.shape[1]!));
  else throw new RangeError(`composeGrid: expected images of shape [n, h, w] or [n, h*w], got ${shapeText(arr.shape)}`);
  const n = arr.shape[0]!;
  if (!Number.isInteger(w) || h * w * n !== arr.data.length) throw new RangeError(`composeGrid: shape ${shapeText(arr.shape)} does not form ${h}x${w} images`);
  return { n, h, w, get: (i) => arr.data.subarray(i * h * w, (i + 1) * h * w) };
}

const byte = (v: number): number => (Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255));

/** Tiles the images into one bitmap; see the module comment. */
export function composeGrid(images: GridImages, opts: GridOptions = {}): GridBitmap {
  const { n, h, w, get } = toImages(images, opts);
  const pad = opts.pad ?? 1;
  const s = opts.scale ?? 1;
  const cols = opts.cols ?? (opts.rows !== undefined ? Math.ceil(n / opts.rows) : Math.max(1, Math.ceil(Math.sqrt(n))));
  const rows = opts.rows ?? Math.max(1, Math.ceil(n / cols));
  if (rows * cols < n) throw new RangeError(`composeGrid: a ${rows}x${cols} grid cannot hold ${n} images`);
  const width = cols * (w * s + pad) + pad;
  const height = rows * (h * s + pad) + pad;
  const rgba = new Uint8Array(width * height * 4);
  const bg = byte(opts.padValue ?? 0.5);
  for (let p = 0; p < width * height; p++) rgba.set([bg, bg, bg, 255], p * 4);
  for (let i = 0; i < n; i++) {
    const img = get(i);
    if (img === undefined) continue;
    const x0 = pad + (i % cols) * (w * s + pad);
    const y0 = pad + Math.floor(i / cols) * (h * s + pad);
    for (let y = 0; y < h * s; y++) {
      for (let x = 0; x < w * s; x++) {
        const v = byte(img[Math.floor(y / s) * w + Math.floor(x / s)]!);
        const o = ((y0 + y) * width + x0 + x) * 4;
        rgba[o] = v;
        rgba[o + 1] = v;
        rgba[o + 2] = v;
      }
    }
  }
  return { width, height, rgba, cell: { width: w * s, height: h * s, pad }, rows, cols };
}
