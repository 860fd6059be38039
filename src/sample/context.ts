/**
 * What every figure needs: the trained program, the rows of test data it draws from, the mode,
 * the seed, and where and how large to write the figures. Grids are composed by
 * src/figures/grid.ts (`gridSize` gives the size of the bitmap a layout produces) and written
 * with their captions as NAME.svg and NAME.png (src/figures/node/grid-figure.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { Program } from '../program';
import type { Dataset } from '../data/dataset';
import { takeRows } from '../data/ndarray';
import { composeGrid } from '../figures/grid';
import type { GridCaptions } from '../figures/grid-captions';
import { writeGridFigure } from '../figures/node/grid-figure';
import { Rng } from '../core/rng';
import { batchTensors, EVAL_EPOCH } from '../train/batches';
import { UserError } from '../core/errors';
import type { Mode } from './decode';
import type { ImageSite } from './sites';

export interface SampleContext {
  readonly prog: Program;
  /** The examples figures take their inputs and covariates from (the test split). */
  readonly data: Dataset;
  readonly dynamic: ReadonlySet<string>;
  /** Class labels of `data` for colouring (the data set's Category column), if it has one. */
  readonly labels: Int32Array | null;
  /** Legend names of the classes (e.g. Fashion-MNIST's), if known. */
  readonly labelNames?: readonly string[];
  readonly mode: Mode;
  readonly seed: number;
  /** Output directory (created when the first file is written). */
  readonly out: string;
  /** Integer upscaling of every pixel. */
  readonly scale: number;
}

/** Pixels between and around the images of a grid. */
export const PAD = 1;

/** The width and height of the grid bitmap of `rows` x `cols` images of `h` x `w` pixels (captions come around it). */
export function gridSize(rows: number, cols: number, h: number, w: number, scale: number): { width: number; height: number } {
  return { width: cols * (w * scale + PAD) + PAD, height: rows * (h * scale + PAD) + PAD };
}

/** A random stream for one figure, from the seed. */
export function figureRng(ctx: SampleContext, figure: string): Rng {
  return Rng.fromSeed(ctx.seed).foldName(`sample-${figure}`);
}

/**
 * Which `n` examples a figure uses: evenly spaced over the split (index floor(i * N / n)), so a
 * split sorted by class (the bundled binarized MNIST test set is) still shows every class.
 */
export function pickExamples(ctx: SampleContext, n: number, what: string): Int32Array {
  const size = ctx.data.size;
  if (size < n) throw new UserError(`${what} needs ${n} examples, but ${ctx.data.name} has ${size}`, `ask for fewer with --n ${Math.max(1, size)}, or give other data with --data`);
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * size) / n));
}

/** The examples `idx` as tensors by data name ([idx.length, ...]); the caller's scope owns them. */
export function dataRows(ctx: SampleContext, idx: Int32Array): Map<string, tf.Tensor> {
  return batchTensors(ctx.prog.checked, ctx.data, idx, ctx.dynamic, ctx.seed, EVAL_EPOCH);
}

/**
 * The examples `idx` of the data column `name` as images to show: the data as bound, which for
 * dynamically binarized sites are the gray levels in [0, 1] (the model saw binary draws of them,
 * which are hard to read).
 */
export function originals(ctx: SampleContext, name: string, idx: Int32Array): Float32Array[] {
  return splitImages(Float32Array.from(takeRows(ctx.data.columns[name]!, idx).data), idx.length);
}

/** The file name of a figure without its extension: `NAME`, or `NAME-sample` for samples. */
export function figurePath(ctx: SampleContext, name: string): string {
  return path.join(ctx.out, `${name}${ctx.mode === 'sample' ? '-sample' : ''}`);
}

/** How the figures show the observed site: its mean, or a draw from it. */
export function modeWords(ctx: SampleContext): string {
  return ctx.mode === 'mean' ? 'decoded means' : 'decoded samples';
}

/** Splits [n, h*w] numbers into n images. */
export function splitImages(values: Float32Array, n: number): Float32Array[] {
  const size = values.length / n;
  return Array.from({ length: n }, (_, i) => values.slice(i * size, (i + 1) * size));
}

/**
 * Writes `images` row-major in a `rows` x `cols` grid (missing cells are left gray) with its
 * captions, as BASE.svg and BASE.png; returns the PNG's path.
 */
export function writeGrid(ctx: SampleContext, base: string, image: ImageSite, images: readonly (Float32Array | undefined)[], rows: number, cols: number, captions: GridCaptions): string {
  const cells = Array.from({ length: rows * cols }, (_, i) => images[i]);
  const grid = composeGrid(cells, { rows, cols, height: image.height, width: image.width, scale: ctx.scale, pad: PAD });
  writeGridFigure(base, grid, captions);
  return `${base}.png`;
}
