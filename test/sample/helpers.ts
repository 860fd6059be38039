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

/** Reads a PNG and checks its size and that its pixels are not all the same. */
export function expectPng(file: string, width: number, height: number): PNG {
  expect(fs.existsSync(file)).toBe(true);
  const png = PNG.sync.read(fs.readFileSync(file));
  expect([png.width, png.height]).toEqual([width, height]);
  const first = png.data.readUInt32BE(0);
  let varied = false;
  for (let i = 4; i < png.data.length && !varied; i += 4) varied = png.data.readUInt32BE(i) !== first;
  expect(varied).toBe(true);
  return png;
}

/** The gray level (0..255) of image cell (row, col) of a grid at pixel (x, y) inside the cell. */
export function cellPixel(png: PNG, cell: { h: number; w: number; scale: number }, row: number, col: number, x: number, y: number): number {
  const px = 1 + col * (cell.w * cell.scale + 1) + x * cell.scale;
  const py = 1 + row * (cell.h * cell.scale + 1) + y * cell.scale;
  return png.data[(py * png.width + px) * 4]!;
}
