/**
 * Writing a captioned image grid (grid.ts + grid-captions.ts) as NAME.svg and NAME.png: the
 * grid is encoded as a PNG (pngjs) and embedded in the SVG as a data URL; the PNG figure is that
 * SVG rendered by resvg at zoom 1 with the shipped font, so the grid's pixels are unchanged.
 * Both files are written atomically.
 */
import { PNG } from 'pngjs';
import type { GridBitmap } from '../grid';
import { captionedGridSvg, captionLayout, type CaptionLayout, type GridCaptions } from '../grid-captions';
import { shippedFontMetrics } from './font';
import { writeSvgFigure, type FigureFormat } from './render';

/** The PNG bytes of a grid bitmap. */
export function gridPng(g: GridBitmap): Buffer {
  const png = new PNG({ width: g.width, height: g.height });
  Buffer.from(g.rgba.buffer, g.rgba.byteOffset, g.rgba.byteLength).copy(png.data);
  return PNG.sync.write(png, { colorType: 6 });
}

const measure = (text: string, size: number): number => shippedFontMetrics().width(text, size);

/** The layout of a captioned grid, with the shipped font's metrics. */
export function gridFigureLayout(g: GridBitmap, c: GridCaptions): CaptionLayout {
  return captionLayout(g, c, measure);
}

/** Writes base.svg and base.png (or the asked formats); returns the paths written. */
export function writeGridFigure(base: string, g: GridBitmap, captions: GridCaptions, formats: readonly FigureFormat[] = ['svg', 'png']): string[] {
  const href = `data:image/png;base64,${gridPng(g).toString('base64')}`;
  const svg = captionedGridSvg(g, captions, href, measure);
  return writeSvgFigure(base, svg, { formats, scale: 1 });
}
