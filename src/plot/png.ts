/**
 * PNG encoding of a Canvas (via pngjs) and an atomic file write.
 *
 * Contract. `encodePng` returns an 8-bit RGBA PNG of the canvas. `writeCanvasPng` creates the
 * parent directory if needed, writes a temporary file beside the target and renames it over
 * the target, so a reader never sees a half-written image; on failure the temporary file is
 * removed and the error rethrown.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import type { Canvas } from './canvas';

/** The PNG file bytes of `canvas`. */
export function encodePng(canvas: Canvas): Buffer {
  const png = new PNG({ width: canvas.width, height: canvas.height });
  Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength).copy(png.data);
  return PNG.sync.write(png, { colorType: 6 });
}

let counter = 0;

/** Writes `canvas` as a PNG to `path` atomically (temporary file + rename). */
export function writeCanvasPng(path: string, canvas: Canvas): void {
  const bytes = encodePng(canvas);
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
