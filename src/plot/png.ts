/**
 * PNG encoding of a Canvas (via pngjs) and an atomic file write.
 *
 * Contract. `encodePng` returns an 8-bit RGBA PNG of the canvas. `writeCanvasPng` writes it
 * atomically (a reader never sees a half-written image; on failure the error is rethrown).
 */
import { PNG } from 'pngjs';
import { writeFileAtomic } from '../core/atomic-file';
import type { Canvas } from './canvas';

/** The PNG file bytes of `canvas`. */
export function encodePng(canvas: Canvas): Buffer {
  const png = new PNG({ width: canvas.width, height: canvas.height });
  Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength).copy(png.data);
  return PNG.sync.write(png, { colorType: 6 });
}

/** Writes `canvas` as a PNG to `path` atomically (core/atomic-file.ts). */
export function writeCanvasPng(path: string, canvas: Canvas): void {
  writeFileAtomic(path, encodePng(canvas));
}
