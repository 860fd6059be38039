/**
 * Canvas: an RGBA raster with the few drawing primitives charts need.
 *
 * Contract. Pixels are stored row-major in `data` (4 bytes per pixel, straight alpha, the pixel
 * (x, y) at offset 4 * (y * width + x)); pixel (x, y) covers the square [x, x+1) x [y, y+1), so
 * a stroke along y = 10.5 lights row 10 alone. Every primitive source-over-blends into the
 * raster and respects the clip rectangle (`setClip`); nothing ever writes outside the raster.
 * Strokes and shapes are anti-aliased by exact distance-based coverage; `fillRect` with integer
 * coordinates is pixel-exact (use it for crisp axes and grids). Text uses the built-in bitmap
 * font (font.ts): integer scales, optionally smoothed (scale ≥ 2), bold, rotated by ±90°, and
 * with `^{...}` marking a superscript run (as in "10^{-3}").
 */
import { type Color, type Rgba, parseColor } from './color';
import { CAP_ROWS, GLYPH_ROWS, GLYPH_SPACING, glyph } from './font';

/** A point in canvas pixel coordinates (fractions allowed). */
export type Point = readonly [number, number];

/** Options of strokes (`line`, `polyline`). */
export interface StrokeOptions {
  readonly color: Color;
  /** Stroke width in pixels (default 1). */
  readonly width?: number;
  /** Dash pattern in pixels, alternating on/off (e.g. [8, 5]); none = solid. */
  readonly dash?: readonly number[];
}

/** Marker shapes. */
export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'triangle-down' | 'plus' | 'cross';

/** Horizontal anchor of text. */
export type TextAlign = 'left' | 'center' | 'right';
/** Vertical anchor of text: the top of the capitals, their middle, the baseline, or the bottom of the descenders. */
export type TextBaseline = 'top' | 'middle' | 'baseline' | 'bottom';

/** Options of `drawText` / `measureText`. */
export interface TextOptions {
  readonly color?: Color;
  /** Integer magnification of the 5x7 font (default 1; 2 is a good body size). */
  readonly scale?: number;
  readonly bold?: boolean;
  /** Smooth diagonals when scale ≥ 2 (default true). */
  readonly smooth?: boolean;
  readonly align?: TextAlign;
  readonly baseline?: TextBaseline;
  /**
   * 90 turns the text counter-clockwise (reads bottom to top, as y-axis labels do); -90
   * clockwise. For rotated text, `align` and `baseline` anchor the rotated box on screen:
   * left/center/right its horizontal extent, top/middle/bottom its vertical extent.
   */
  readonly rotate?: 0 | 90 | -90;
}

/** Size of a text run as drawn unrotated. */
export interface TextMetrics {
  readonly width: number;
  /** From the top of the box (superscripts included) to the bottom of the descenders. */
  readonly height: number;
  /** Offset of the capital top within the box (> 0 when a superscript rises above it). */
  readonly capTop: number;
  /** Height of capitals and digits. */
  readonly capHeight: number;
}

/** An 8-bit coverage mask. */
interface Mask {
  readonly w: number;
  readonly h: number;
  readonly a: Uint8Array;
}

interface Run {
  readonly text: string;
  readonly sup: boolean;
}

/** Splits "10^{-3} s" into runs; an unmatched "^{" is literal text. */
function parseRuns(text: string): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('^{', i);
    const close = open < 0 ? -1 : text.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      runs.push({ text: text.slice(i), sup: false });
      break;
    }
    if (open > i) runs.push({ text: text.slice(i, open), sup: false });
    runs.push({ text: text.slice(open + 2, close), sup: true });
    i = close + 1;
  }
  return runs.filter((r) => r.text.length > 0);
}

const supScale = (scale: number): number => Math.max(1, Math.round(scale * 0.6));

/** 1x width of a string in font columns (no trailing spacing). */
function unitWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += glyph(ch).width + GLYPH_SPACING;
  return Math.max(0, w - GLYPH_SPACING);
}

/** Renders `s` at 1x into a 0/1 bitmap of GLYPH_ROWS rows. */
function rasterize1x(s: string): { w: number; bits: Uint8Array } {
  const w = unitWidth(s);
  const bits = new Uint8Array(Math.max(1, w) * GLYPH_ROWS);
  let x = 0;
  for (const ch of s) {
    const g = glyph(ch);
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < g.width; c++) {
        if (g.bits[r * g.width + c]) bits[r * w + x + c] = 1;
      }
    }
    x += g.width + GLYPH_SPACING;
  }
  return { w, bits };
}

/** Scale2x (EPX), additive: doubles a 0/1 bitmap, filling in the staircase of diagonals. */
function scale2x(src: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(4 * w * h);
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? 0 : (src[y * w + x] as number));
  const W = 2 * w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = at(x, y);
      const a = at(x, y - 1), b = at(x + 1, y), c = at(x - 1, y), d = at(x, y + 1);
      // Only the filling half of EPX: square corners stay square (a 'B' must not become an '8').
      let e0 = p, e1 = p, e2 = p, e3 = p;
      if (c === a && c !== d && a !== b) e0 |= a;
      if (a === b && a !== c && b !== d) e1 |= b;
      if (d === c && d !== b && c !== a) e2 |= c;
      if (b === d && b !== a && d !== c) e3 |= d;
      out[2 * y * W + 2 * x] = e0;
      out[2 * y * W + 2 * x + 1] = e1;
      out[(2 * y + 1) * W + 2 * x] = e2;
      out[(2 * y + 1) * W + 2 * x + 1] = e3;
    }
  }
  return out;
}

/** Magnifies a 0/1 bitmap by an integer factor into a 0/255 mask. */
function magnify(bits: Uint8Array, w: number, h: number, scale: number, smooth: boolean): Mask {
  if (!smooth || scale < 2) return nearest(bits, w, h, scale);
  // Smooth: Scale2x twice (4x), nearest up to 2*scale, then a 2x2 box filter down to `scale`.
  // The diagonals lose their staircase and the edges pick up one level of anti-aliasing.
  // (Odd scales: Scale2x once, nearest up to 2*scale.)
  const s2 = scale2x(bits, w, h);
  const src = scale % 2 === 0 ? nearest(scale2x(s2, 2 * w, 2 * h), 4 * w, 4 * h, scale / 2) : nearest(s2, 2 * w, 2 * h, scale);
  const W = w * scale, H = h * scale;
  const a = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = 2 * y * src.w + 2 * x;
      const sum = (src.a[i] as number) + (src.a[i + 1] as number) + (src.a[i + src.w] as number) + (src.a[i + src.w + 1] as number);
      a[y * W + x] = sum >> 2;
    }
  }
  return { w: W, h: H, a };
}

function nearest(src: Uint8Array, sw: number, sh: number, k: number): Mask {
  const W = sw * k, H = sh * k;
  const a = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor(y / k);
    for (let x = 0; x < W; x++) if (src[sy * sw + Math.floor(x / k)]) a[y * W + x] = 255;
  }
  return { w: W, h: H, a };
}

interface TextLayout {
  readonly metrics: TextMetrics;
  readonly pieces: { readonly run: Run; readonly x: number; readonly y: number; readonly scale: number }[];
}

function layoutText(text: string, scale: number): TextLayout {
  const runs = parseRuns(text);
  const pieces: { run: Run; x: number; y: number; scale: number }[] = [];
  let x = 0;
  let top = 0;
  const capHeight = CAP_ROWS * scale;
  let bottom = GLYPH_ROWS * scale;
  runs.forEach((run, i) => {
    const s = run.sup ? supScale(scale) : scale;
    // A superscript's capitals span the upper part of the base capitals and rise above them.
    const y = run.sup ? Math.round(capHeight * 0.45) - CAP_ROWS * s : 0;
    if (i > 0 && run.sup) x += Math.max(1, Math.round(scale / 2));
    pieces.push({ run, x, y, scale: s });
    x += unitWidth(run.text) * s + (i < runs.length - 1 ? GLYPH_SPACING * scale : 0);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y + GLYPH_ROWS * s);
  });
  const capTop = -top;
  for (const p of pieces) p.y += capTop;
  return { metrics: { width: Math.max(0, x), height: bottom - top, capTop, capHeight }, pieces };
}

/** Size of `text` at `scale` (bold adds one pixel of width). */
export function measureText(text: string, opts: Pick<TextOptions, 'scale' | 'bold'> = {}): TextMetrics {
  const scale = Math.max(1, Math.round(opts.scale ?? 1));
  const m = layoutText(text, scale).metrics;
  return opts.bold ? { ...m, width: m.width + 1 } : m;
}

function textMask(text: string, scale: number, bold: boolean, smooth: boolean): { mask: Mask; metrics: TextMetrics } {
  const lay = layoutText(text, scale);
  const metrics = bold ? { ...lay.metrics, width: lay.metrics.width + 1 } : lay.metrics;
  const w = Math.max(1, metrics.width), h = metrics.height;
  const a = new Uint8Array(w * h);
  for (const p of lay.pieces) {
    const r = rasterize1x(p.run.text);
    const m = magnify(r.bits, r.w, GLYPH_ROWS, p.scale, smooth);
    for (let y = 0; y < m.h; y++) {
      const ty = p.y + y;
      if (ty < 0 || ty >= h) continue;
      for (let x = 0; x < m.w; x++) {
        const tx = p.x + x;
        if (tx < 0 || tx >= w) continue;
        const v = m.a[y * m.w + x] as number;
        if (v > (a[ty * w + tx] as number)) a[ty * w + tx] = v;
        // Bold: the ink smeared one pixel to the right.
        if (bold && tx + 1 < w && v > (a[ty * w + tx + 1] as number)) a[ty * w + tx + 1] = v;
      }
    }
  }
  return { mask: { w, h, a }, metrics };
}

function rotateMask(m: Mask, rotate: 90 | -90): Mask {
  const w = m.h, h = m.w;
  const a = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // 90: counter-clockwise, the first character ends up at the bottom.
      const sx = rotate === 90 ? m.w - 1 - y : y;
      const sy = rotate === 90 ? x : m.h - 1 - x;
      a[y * w + x] = m.a[sy * m.w + sx] as number;
    }
  }
  return { w, h, a };
}

/** Euclidean distance from (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px, ey = ay + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Liang–Barsky: the part of segment a-b inside the box, or null. */
function clipSegment(a: Point, b: Point, x0: number, y0: number, x1: number, y1: number): [Point, Point] | null {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  let t0 = 0, t1 = 1;
  const edges: [number, number][] = [[-dx, a[0] - x0], [dx, x1 - a[0]], [-dy, a[1] - y0], [dy, y1 - a[1]]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return null;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return null;
        if (t < t1) t1 = t;
      }
    }
  }
  const at = (t: number): Point => (t === 0 ? a : t === 1 ? b : [a[0] + t * dx, a[1] + t * dy]);
  return [at(t0), at(t1)];
}

/** The parts of a polyline inside the box, as separate polylines. */
function clipPolyline(pts: readonly Point[], x0: number, y0: number, x1: number, y1: number): Point[][] {
  if (pts.length === 1) {
    const [x, y] = pts[0] as Point;
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 ? [[pts[0] as Point]] : [];
  }
  const out: Point[][] = [];
  let cur: Point[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const seg = clipSegment(pts[i] as Point, pts[i + 1] as Point, x0, y0, x1, y1);
    if (seg === null) {
      if (cur.length > 0) out.push(cur);
      cur = [];
      continue;
    }
    const last = cur[cur.length - 1];
    if (last !== undefined && last[0] === seg[0][0] && last[1] === seg[0][1]) {
      cur.push(seg[1]);
    } else {
      if (cur.length > 0) out.push(cur);
      cur = [seg[0], seg[1]];
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Splits a polyline into its dashes (sub-polylines), the pattern running on across vertices. */
function dashPolyline(pts: readonly Point[], dash: readonly number[]): Point[][] {
  const pattern = dash.filter((d) => d > 0);
  if (pattern.length < 2) return [pts.slice()];
  const out: Point[][] = [];
  let idx = 0;
  let left = pattern[0] as number;
  let on = true;
  let cur: Point[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    let [ax, ay] = pts[i] as Point;
    const [bx, by] = pts[i + 1] as Point;
    let seg = Math.hypot(bx - ax, by - ay);
    if (on && cur.length === 0) cur.push([ax, ay]);
    while (seg > left) {
      const t = left / seg;
      const mx = ax + (bx - ax) * t, my = ay + (by - ay) * t;
      if (on) {
        cur.push([mx, my]);
        out.push(cur);
        cur = [];
      } else {
        cur = [[mx, my]];
      }
      seg -= left;
      ax = mx;
      ay = my;
      on = !on;
      idx = (idx + 1) % pattern.length;
      left = pattern[idx] as number;
    }
    left -= seg;
    if (on) cur.push([bx, by]);
  }
  if (on && cur.length >= 2) out.push(cur);
  return out;
}

/** An RGBA raster; see the module comment. */
export class Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  private clip = { x0: 0, y0: 0, x1: 0, y1: 0 };

  constructor(width: number, height: number, background: Color = '#ffffff') {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 1 << 26) {
      throw new RangeError(`canvas size must be positive integers, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.resetClip();
    this.clear(background);
  }

  /** Fills the whole raster (ignoring the clip) with `color`, replacing what was there. */
  clear(color: Color): void {
    const c = parseColor(color);
    const d = this.data;
    for (let i = 0; i < d.length; i += 4) {
      d[i] = c.r;
      d[i + 1] = c.g;
      d[i + 2] = c.b;
      d[i + 3] = c.a;
    }
  }

  /** Restricts drawing to the pixels [x0, x1) x [y0, y1) (intersected with the raster). */
  setClip(x0: number, y0: number, x1: number, y1: number): void {
    this.clip = {
      x0: Math.max(0, Math.floor(x0)),
      y0: Math.max(0, Math.floor(y0)),
      x1: Math.min(this.width, Math.ceil(x1)),
      y1: Math.min(this.height, Math.ceil(y1)),
    };
  }

  resetClip(): void {
    this.clip = { x0: 0, y0: 0, x1: this.width, y1: this.height };
  }

  /** The [r, g, b, a] of pixel (x, y); throws outside the raster. */
  getPixel(x: number, y: number): [number, number, number, number] {
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= this.width || y >= this.height) {
      throw new RangeError(`pixel (${x}, ${y}) is outside the ${this.width}x${this.height} canvas`);
    }
    const i = 4 * (y * this.width + x);
    const d = this.data;
    return [d[i] as number, d[i + 1] as number, d[i + 2] as number, d[i + 3] as number];
  }

  /** Source-over blends `c` with opacity `coverage` (0..1) onto pixel (x, y), if inside the clip. */
  blend(x: number, y: number, c: Rgba, coverage: number): void {
    const cl = this.clip;
    if (x < cl.x0 || y < cl.y0 || x >= cl.x1 || y >= cl.y1 || coverage <= 0) return;
    const sa = (c.a / 255) * Math.min(1, coverage);
    if (sa <= 0) return;
    const d = this.data;
    const i = 4 * (y * this.width + x);
    if (sa >= 1) {
      d[i] = c.r;
      d[i + 1] = c.g;
      d[i + 2] = c.b;
      d[i + 3] = 255;
      return;
    }
    const da = (d[i + 3] as number) / 255;
    const oa = sa + da * (1 - sa);
    if (oa <= 0) return;
    const mix = (s: number, t: number): number => Math.round((s * sa + t * da * (1 - sa)) / oa);
    d[i] = mix(c.r, d[i] as number);
    d[i + 1] = mix(c.g, d[i + 1] as number);
    d[i + 2] = mix(c.b, d[i + 2] as number);
    d[i + 3] = Math.round(oa * 255);
  }

  /** The pixel range covering [x0, x1] x [y0, y1], cut to the clip (empty when NaN). */
  private bounds(x0: number, y0: number, x1: number, y1: number): { x0: number; y0: number; x1: number; y1: number } {
    const cl = this.clip;
    const lo = (v: number, min: number): number => (Number.isNaN(v) ? min : Math.max(min, Math.floor(v)));
    const hi = (v: number, max: number): number => (Number.isNaN(v) ? -1 : Math.min(max, Math.ceil(v) + 1));
    return { x0: lo(x0, cl.x0), y0: lo(y0, cl.y0), x1: hi(x1, cl.x1), y1: hi(y1, cl.y1) };
  }

  /** Fills the rectangle [x, x+w) x [y, y+h), edges rounded to whole pixels. */
  fillRect(x: number, y: number, w: number, h: number, color: Color): void {
    const c = parseColor(color);
    const x0 = Math.max(this.clip.x0, Math.round(x)), x1 = Math.min(this.clip.x1, Math.round(x + w));
    const y0 = Math.max(this.clip.y0, Math.round(y)), y1 = Math.min(this.clip.y1, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.blend(xx, yy, c, 1);
  }

  /** Outlines the rectangle [x, x+w) x [y, y+h) with a border `t` pixels thick, inside it. */
  strokeRect(x: number, y: number, w: number, h: number, color: Color, t = 1): void {
    this.fillRect(x, y, w, t, color);
    this.fillRect(x, y + h - t, w, t, color);
    this.fillRect(x, y + t, t, h - 2 * t, color);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, color);
  }

  /** Strokes one segment; see `polyline`. */
  line(x0: number, y0: number, x1: number, y1: number, opts: StrokeOptions): void {
    this.polyline([[x0, y0], [x1, y1]], opts);
  }

  /**
   * Strokes a polyline with round joins and caps, anti-aliased. Coverage is accumulated per
   * call (maximum over segments), so joins are not darkened where segments overlap.
   */
  polyline(points: readonly Point[], opts: StrokeOptions): void {
    const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (finite.length === 0) return;
    const c = parseColor(opts.color);
    const width = Math.max(0, opts.width ?? 1);
    const r = width / 2 + 0.5;
    const cl = this.clip;
    // Only what can touch the clip matters: cut the polyline to it (a little outside) first.
    const visible = clipPolyline(finite, cl.x0 - r - 1, cl.y0 - r - 1, cl.x1 + r + 1, cl.y1 + r + 1);
    const dash = opts.dash && opts.dash.length >= 2 && opts.dash.some((d) => d > 0) ? opts.dash : undefined;
    const pieces = dash ? visible.flatMap((v) => dashPolyline(v, dash)) : visible;
    if (pieces.length === 0) return;
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    for (const [x, y] of pieces.flat()) {
      bx0 = Math.min(bx0, x);
      by0 = Math.min(by0, y);
      bx1 = Math.max(bx1, x);
      by1 = Math.max(by1, y);
    }
    const X0 = Math.max(cl.x0, Math.floor(bx0 - r)), Y0 = Math.max(cl.y0, Math.floor(by0 - r));
    const X1 = Math.min(cl.x1, Math.ceil(bx1 + r) + 1), Y1 = Math.min(cl.y1, Math.ceil(by1 + r) + 1);
    if (X0 >= X1 || Y0 >= Y1) return;
    const MW = X1 - X0;
    const cov = new Float32Array(MW * (Y1 - Y0));
    for (const piece of pieces) {
      const n = piece.length;
      for (let i = 0; i < Math.max(1, n - 1); i++) {
        const [ax, ay] = piece[i] as Point;
        const [qx, qy] = (piece[Math.min(i + 1, n - 1)] as Point);
        const sx0 = Math.max(X0, Math.floor(Math.min(ax, qx) - r)), sx1 = Math.min(X1, Math.ceil(Math.max(ax, qx) + r) + 1);
        const sy0 = Math.max(Y0, Math.floor(Math.min(ay, qy) - r)), sy1 = Math.min(Y1, Math.ceil(Math.max(ay, qy) + r) + 1);
        for (let y = sy0; y < sy1; y++) {
          for (let x = sx0; x < sx1; x++) {
            const d = segmentDistance(x + 0.5, y + 0.5, ax, ay, qx, qy);
            const v = Math.min(1, width / 2 + 0.5 - d);
            const k = (y - Y0) * MW + (x - X0);
            if (v > (cov[k] as number)) cov[k] = v;
          }
        }
      }
    }
    for (let y = Y0; y < Y1; y++) {
      for (let x = X0; x < X1; x++) {
        const v = cov[(y - Y0) * MW + (x - X0)] as number;
        if (v > 0) this.blend(x, y, c, v);
      }
    }
  }

  /** Fills a disc of radius `r` centred at (cx, cy), anti-aliased. */
  fillCircle(cx: number, cy: number, r: number, color: Color): void {
    const c = parseColor(color);
    const b = this.bounds(cx - r - 1, cy - r - 1, cx + r + 1, cy + r + 1);
    for (let y = b.y0; y < b.y1; y++) {
      for (let x = b.x0; x < b.x1; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.blend(x, y, c, Math.min(1, r + 0.5 - d));
      }
    }
  }

  /** Strokes a circle of radius `r` with a ring `width` pixels wide, anti-aliased. */
  strokeCircle(cx: number, cy: number, r: number, color: Color, width = 1): void {
    const c = parseColor(color);
    const R = r + width / 2 + 1;
    const b = this.bounds(cx - R, cy - R, cx + R, cy + R);
    for (let y = b.y0; y < b.y1; y++) {
      for (let x = b.x0; x < b.x1; x++) {
        const d = Math.abs(Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r);
        this.blend(x, y, c, Math.min(1, width / 2 + 0.5 - d));
      }
    }
  }

  /** Fills a convex polygon (vertices in either order), anti-aliased. */
  fillConvex(vertices: readonly Point[], color: Color): void {
    if (vertices.length < 3) return;
    const c = parseColor(color);
    let area = 0;
    for (let i = 0; i < vertices.length; i++) {
      const [ax, ay] = vertices[i] as Point;
      const [bx, by] = vertices[(i + 1) % vertices.length] as Point;
      area += ax * by - bx * ay;
    }
    const sign = area >= 0 ? 1 : -1;
    const edges = vertices.map((a, i) => {
      const b = vertices[(i + 1) % vertices.length] as Point;
      const dx = b[0] - a[0], dy = b[1] - a[1];
      const len = Math.hypot(dx, dy) || 1;
      // Outward unit normal for the polygon's orientation.
      return { ax: a[0], ay: a[1], nx: (sign * dy) / len, ny: (-sign * dx) / len };
    });
    const xs = vertices.map((v) => v[0]), ys = vertices.map((v) => v[1]);
    const bb = this.bounds(Math.min(...xs) - 1, Math.min(...ys) - 1, Math.max(...xs) + 1, Math.max(...ys) + 1);
    for (let y = bb.y0; y < bb.y1; y++) {
      for (let x = bb.x0; x < bb.x1; x++) {
        let sd = -Infinity;
        for (const e of edges) sd = Math.max(sd, (x + 0.5 - e.ax) * e.nx + (y + 0.5 - e.ay) * e.ny);
        this.blend(x, y, c, Math.min(1, 0.5 - sd));
      }
    }
  }

  /** Draws a marker of overall size `size` (about its diameter) centred at (cx, cy). */
  marker(shape: MarkerShape, cx: number, cy: number, size: number, color: Color): void {
    const h = size / 2;
    switch (shape) {
      case 'circle':
        this.fillCircle(cx, cy, h, color);
        break;
      case 'square': {
        const s = h * 0.88;
        this.fillConvex([[cx - s, cy - s], [cx + s, cy - s], [cx + s, cy + s], [cx - s, cy + s]], color);
        break;
      }
      case 'diamond': {
        const s = h * 1.2;
        this.fillConvex([[cx, cy - s], [cx + s, cy], [cx, cy + s], [cx - s, cy]], color);
        break;
      }
      case 'triangle':
      case 'triangle-down': {
        const s = h * 1.2, k = shape === 'triangle' ? 1 : -1;
        this.fillConvex([[cx, cy - k * s], [cx + s * 0.9, cy + k * s * 0.6], [cx - s * 0.9, cy + k * s * 0.6]], color);
        break;
      }
      case 'plus':
        this.line(cx - h, cy, cx + h, cy, { color, width: Math.max(1.5, size / 4) });
        this.line(cx, cy - h, cx, cy + h, { color, width: Math.max(1.5, size / 4) });
        break;
      case 'cross': {
        const s = h * 0.8;
        this.line(cx - s, cy - s, cx + s, cy + s, { color, width: Math.max(1.5, size / 4) });
        this.line(cx - s, cy + s, cx + s, cy - s, { color, width: Math.max(1.5, size / 4) });
        break;
      }
    }
  }

  /**
   * Draws `text` anchored at (x, y); returns the box it occupies on screen. Default anchor:
   * left / top (the top of the capitals).
   */
  text(text: string, x: number, y: number, opts: TextOptions = {}): { x: number; y: number; w: number; h: number } {
    const scale = Math.max(1, Math.round(opts.scale ?? 1));
    const { mask: m0, metrics } = textMask(text, scale, opts.bold ?? false, opts.smooth ?? true);
    const rotate = opts.rotate ?? 0;
    const align = opts.align ?? 'left';
    const baseline = opts.baseline ?? 'top';
    let m = m0;
    let ox: number, oy: number;
    if (rotate === 0) {
      ox = align === 'left' ? x : align === 'center' ? x - metrics.width / 2 : x - metrics.width;
      const capTop = metrics.capTop;
      oy = baseline === 'top' ? y - capTop
        : baseline === 'middle' ? y - capTop - metrics.capHeight / 2
          : baseline === 'baseline' ? y - capTop - metrics.capHeight
            : y - metrics.height;
    } else {
      m = rotateMask(m0, rotate);
      ox = align === 'left' ? x : align === 'center' ? x - m.w / 2 : x - m.w;
      oy = baseline === 'top' ? y : baseline === 'middle' ? y - m.h / 2 : y - m.h;
    }
    const X = Math.round(ox), Y = Math.round(oy);
    const c = parseColor(opts.color ?? '#000000');
    for (let yy = 0; yy < m.h; yy++) {
      for (let xx = 0; xx < m.w; xx++) {
        const v = m.a[yy * m.w + xx] as number;
        if (v > 0) this.blend(X + xx, Y + yy, c, v / 255);
      }
    }
    return { x: X, y: Y, w: m.w, h: m.h };
  }

  /** Copies `src` (opaque copy, clip respected) with its top-left corner at (dx, dy). */
  blit(src: Canvas, dx: number, dy: number): void {
    const cl = this.clip;
    for (let y = 0; y < src.height; y++) {
      const ty = dy + y;
      if (ty < cl.y0 || ty >= cl.y1) continue;
      for (let x = 0; x < src.width; x++) {
        const tx = dx + x;
        if (tx < cl.x0 || tx >= cl.x1) continue;
        const si = 4 * (y * src.width + x), ti = 4 * (ty * this.width + tx);
        for (let k = 0; k < 4; k++) this.data[ti + k] = src.data[si + k] as number;
      }
    }
  }
}
