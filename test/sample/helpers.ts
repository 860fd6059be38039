// Shared pieces of the `vae sample` tests: tiny trained runs, a silent printer, PNG checks.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import type { Printer } from '../../src/cli/errors';
import { runSampleCommand, type SampleFlags } from '../../src/cli/sample';
import { runTrain, type TrainCommand } from '../../src/train/run';

export const silent: Printer = { out() {}, err() {}, color: false };

/** Trains a tiny run into `out` and returns its directory. */
export async function trainTiny(cmd: Omit<TrainCommand, 'json'>): Promise<string> {
  const r = await runTrain({ ...cmd, json: true }, silent);
  return r.dir;
}

/** Runs `vae sample` and returns the paths it printed; checks that no tensor leaked. */
export async function sample(run: string, flags: SampleFlags): Promise<string[]> {
  const out: string[] = [];
  const before = tf.memory().numTensors;
  const code = await runSampleCommand(run, flags, { out: (s) => out.push(s), err() {}, color: false });
  expect(code).toBe(0);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** A captioned grid figure: its PNG, and where the grid bitmap sits in it. */
export interface GridFigure {
  readonly png: PNG;
  readonly x0: number;
  readonly y0: number;
}

/** Dark pixels (luminance below 100) of a PNG outside the rectangle [x0, x1) x [y0, y1). */
export function darkPixelsOutside(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (x >= x0 && x < x1 && y >= y0 && y < y1) continue;
      const o = (y * png.width + x) * 4;
      if (0.3 * png.data[o]! + 0.59 * png.data[o + 1]! + 0.11 * png.data[o + 2]! < 100) n++;
    }
  }
  return n;
}

/**
 * Reads a grid figure, FILE.png with FILE.svg beside it: the SVG embeds a grid bitmap of
 * `width` x `height` pixels, the PNG is the SVG's size (zoom 1), its pixels vary, and it has
 * caption text (dark pixels) outside the grid. Returns the PNG and the grid's origin.
 */
export function expectPng(file: string, width: number, height: number): GridFigure {
  expect(fs.existsSync(file)).toBe(true);
  const svg = fs.readFileSync(file.replace(/\.png$/, '.svg'), 'utf8');
  const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  const img = /<image x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/.exec(svg)!;
  expect([Number(img[3]), Number(img[4])]).toEqual([width, height]);
  const png = PNG.sync.read(fs.readFileSync(file));
  expect([png.width, png.height]).toEqual([Number(size[1]), Number(size[2])]);
  const first = png.data.readUInt32BE(0);
  let varied = false;
  for (let i = 4; i < png.data.length && !varied; i += 4) varied = png.data.readUInt32BE(i) !== first;
  expect(varied).toBe(true);
  const x0 = Number(img[1]);
  const y0 = Number(img[2]);
  expect(darkPixelsOutside(png, x0, y0, x0 + width, y0 + height)).toBeGreaterThan(50);
  return { png, x0, y0 };
}

/** Reads a chart (FILE.png beside FILE.svg): the PNG is twice the SVG's size, varied, with text. */
export function expectChart(file: string): PNG {
  const svg = fs.readFileSync(file.replace(/\.png$/, '.svg'), 'utf8');
  const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  const png = PNG.sync.read(fs.readFileSync(file));
  expect([png.width, png.height]).toEqual([2 * Number(size[1]), 2 * Number(size[2])]);
  expect(darkPixelsOutside(png, 0, 0, 0, 0)).toBeGreaterThan(200);
  return png;
}

/** The gray level (0..255) of image cell (row, col) of a grid figure at pixel (x, y) inside the cell. */
export function cellPixel(fig: GridFigure, cell: { h: number; w: number; scale: number }, row: number, col: number, x: number, y: number): number {
  const px = fig.x0 + 1 + col * (cell.w * cell.scale + 1) + x * cell.scale;
  const py = fig.y0 + 1 + row * (cell.h * cell.scale + 1) + y * cell.scale;
  return fig.png.data[(py * fig.png.width + px) * 4]!;
}
