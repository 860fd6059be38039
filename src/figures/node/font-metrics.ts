/**
 * Advance widths of a TrueType font, read from its `head`, `hhea`, `hmtx` and `cmap` tables, so
 * that vega lays out text in Node with the widths resvg will draw (without a canvas, vega guesses
 * 0.8 em per character, which makes legends and axis titles far too wide).
 *
 * Contract. `fontMetrics(bytes)` parses the tables once; `width(text, size)` is the sum of the
 * advance widths of the text's code points at `size` pixels per em (no kerning: DejaVu's kerning
 * changes a label's width by well under 1%). A code point the font lacks has the width of glyph 0
 * (.notdef), which is what resvg draws for it. `has(cp)` says whether the font maps a code point.
 * Only the cmap subtables Unicode fonts use are read: format 12 (full Unicode) or else format 4 (BMP).
 */

export interface FontMetrics {
  readonly unitsPerEm: number;
  /** Width in pixels of `text` at `size` pixels per em. */
  width(text: string, size: number): number;
  /** Whether the font has a glyph for the code point. */
  has(codePoint: number): boolean;
}

function tables(v: DataView): Map<string, number> {
  const n = v.getUint16(4);
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
    out.set(tag, v.getUint32(at + 8));
  }
  return out;
}

/** Glyph lookup from a format-4 subtable at `at`. */
function format4(v: DataView, at: number): (cp: number) => number {
  const segs = v.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segs + 2;
  const deltas = starts + 2 * segs;
  const ranges = deltas + 2 * segs;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segs; s++) {
      if (cp > v.getUint16(ends + 2 * s)) continue;
      const start = v.getUint16(starts + 2 * s);
      if (cp < start) return 0;
      const delta = v.getInt16(deltas + 2 * s);
      const ro = v.getUint16(ranges + 2 * s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = v.getUint16(ranges + 2 * s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

/** Glyph lookup from a format-12 subtable at `at`. */
function format12(v: DataView, at: number): (cp: number) => number {
  const groups = v.getUint32(at + 12);
  return (cp) => {
    let lo = 0;
    let hi = groups - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = at + 16 + 12 * mid;
      const start = v.getUint32(g);
      const end = v.getUint32(g + 4);
      if (cp < start) hi = mid - 1;
      else if (cp > end) lo = mid + 1;
      else return v.getUint32(g + 8) + (cp - start);
    }
    return 0;
  };
}

function cmapLookup(v: DataView, cmap: number): (cp: number) => number {
  const n = v.getUint16(cmap + 2);
  let f4: number | undefined;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = v.getUint16(rec);
    const encoding = v.getUint16(rec + 2);
    const at = cmap + v.getUint32(rec + 4);
    const format = v.getUint16(at);
    if (format === 12 && (platform === 0 || (platform === 3 && encoding === 10))) return format12(v, at);
    if (format === 4 && (platform === 0 || (platform === 3 && encoding === 1))) f4 ??= at;
  }
  if (f4 === undefined) throw new Error('the font has no Unicode cmap subtable (format 4 or 12)');
  return format4(v, f4);
}

/** Parses the metrics of a TrueType font; see the module comment. */
export function fontMetrics(bytes: Uint8Array): FontMetrics {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const t = tables(v);
  const need = (tag: string): number => {
    const at = t.get(tag);
    if (at === undefined) throw new Error(`the font has no '${tag}' table`);
    return at;
  };
  const unitsPerEm = v.getUint16(need('head') + 18);
  const metricsCount = v.getUint16(need('hhea') + 34);
  const hmtx = need('hmtx');
  const glyphOf = cmapLookup(v, need('cmap'));
  const advance = (g: number): number => v.getUint16(hmtx + 4 * Math.min(g, metricsCount - 1));
  const cache = new Map<number, number>();
  const adv = (cp: number): number => {
    let a = cache.get(cp);
    if (a === undefined) {
      a = advance(glyphOf(cp));
      cache.set(cp, a);
    }
    return a;
  };
  return {
    unitsPerEm,
    width(text, size) {
      let units = 0;
      for (const ch of text) units += adv(ch.codePointAt(0)!);
      return (units * size) / unitsPerEm;
    },
    has: (cp) => glyphOf(cp) !== 0,
  };
}
