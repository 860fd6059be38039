/**
 * Rendering figure specifications in Node: Vega-Lite → Vega → SVG with vega's headless view,
 * then SVG → PNG with resvg, given the shipped font explicitly (resvg draws no text without a
 * font, and system fonts are not used, so a figure looks the same on every machine).
 *
 * Contract.
 *  - `renderSvg(spec)` compiles and renders; Vega-Lite warnings are collected (not printed) and
 *    returned; a spec vega cannot parse throws.
 *  - `svgToPng(svg, scale)` rasterizes at `scale` pixels per SVG unit on a white background;
 *    the PNG is round(width·scale) x round(height·scale) pixels.
 *  - `writeFigure(base, spec, opts)` writes base.svg and/or base.png, each atomically (a
 *    temporary file renamed over the target: never a half-written figure), and returns the
 *    paths written.
 */
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../data/files';
import { FONT_FAMILY } from '../theme';
import { FONT_FILE, useFontMetrics } from './font';

export type FigureFormat = 'svg' | 'png';

export interface RenderedSvg {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** Vega-Lite's compile warnings (an empty list for every figure vaelang draws). */
  readonly warnings: readonly string[];
}

export async function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  useFontMetrics();
  const warnings: string[] = [];
  const say = (...m: unknown[]) => void warnings.push(m.map(String).join(' '));
  const logger: Record<string, unknown> = { error: say, warn: say };
  logger['level'] = () => logger;
  logger['info'] = () => logger;
  logger['debug'] = () => logger;
  const vg = compile(spec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logLevel: vega.Warn, logger: vega.logger(vega.Warn) });
  try {
    await view.runAsync();
    const svg = await view.toSVG();
    const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
    return { svg, width: Number(m?.[1] ?? view.width()), height: Number(m?.[2] ?? view.height()), warnings };
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG with the shipped font; see the module comment. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    shapeRendering: 2,
    textRendering: 1,
  });
  const png = r.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export interface WriteOptions {
  readonly formats?: readonly FigureFormat[];
  /** PNG pixels per SVG unit (default 2). */
  readonly scale?: number;
}

/** Writes an SVG (and its PNG) as base.svg / base.png; returns the paths written. */
export function writeSvgFigure(base: string, svg: string, opts: WriteOptions = {}): string[] {
  const formats = opts.formats ?? ['svg', 'png'];
  const out: string[] = [];
  if (formats.includes('svg')) {
    writeFileAtomic(`${base}.svg`, new TextEncoder().encode(svg));
    out.push(`${base}.svg`);
  }
  if (formats.includes('png')) {
    writeFileAtomic(`${base}.png`, svgToPng(svg, opts.scale ?? 2));
    out.push(`${base}.png`);
  }
  return out;
}

/** Renders `spec` and writes base.svg / base.png; see the module comment. */
export async function writeFigure(base: string, spec: TopLevelSpec, opts: WriteOptions = {}): Promise<string[]> {
  const { svg } = await renderSvg(spec);
  return writeSvgFigure(base.replace(/\.(svg|png)$/i, ''), svg, opts);
}

/** base without a .svg / .png extension, for paths users give (`--plot snr.png`). */
export function figureBase(file: string): string {
  return path.join(path.dirname(file), path.basename(file).replace(/\.(svg|png)$/i, ''));
}
