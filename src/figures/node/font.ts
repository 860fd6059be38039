/**
 * The font shipped with the package (assets/fonts/DejaVuSans.ttf, Bitstream Vera license beside
 * it) and vega's text measurement in Node.
 *
 * Contract. FONT_FILE is the path of the TTF. `useFontMetrics()` (idempotent) makes vega measure
 * text with the TTF's advance widths instead of its 0.8-em-per-character guess, so the layout
 * (legend widths, axis-title offsets, truncation at a label limit) matches what resvg draws.
 */
import * as fs from 'node:fs';
import { packageFile } from '../../core/package-root';
import * as vega from 'vega';
import { fontMetrics, type FontMetrics } from './font-metrics';

export const FONT_FILE = packageFile('assets/fonts/DejaVuSans.ttf');

let metrics: FontMetrics | undefined;

/** The shipped font's metrics (parsed once). */
export function shippedFontMetrics(): FontMetrics {
  metrics ??= fontMetrics(new Uint8Array(fs.readFileSync(FONT_FILE)));
  return metrics;
}

interface TextItem {
  readonly fontSize?: number | string;
  readonly limit?: number;
  readonly ellipsis?: string;
}

let installed = false;

export function useFontMetrics(): void {
  if (installed) return;
  const m = shippedFontMetrics();
  const size = (item: TextItem): number => (item.fontSize != null ? +item.fontSize || 0 : 11);
  const tm = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  tm.width = (item, text) => {
    let s = text == null ? '' : String(text).trim();
    const px = size(item);
    const limit = item.limit ?? 0;
    // vega truncates labels longer than `limit` pixels and measures the truncated text.
    if (limit > 0 && m.width(s, px) > limit) {
      const ellipsis = item.ellipsis ?? '…';
      const room = limit - m.width(ellipsis, px);
      const chars = [...s];
      let lo = 0;
      let hi = chars.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (m.width(chars.slice(0, mid).join(''), px) <= room) lo = mid;
        else hi = mid - 1;
      }
      s = chars.slice(0, lo).join('') + ellipsis;
    }
    return m.width(s, px);
  };
  installed = true;
}
