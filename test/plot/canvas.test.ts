import { describe, expect, it } from 'vitest';
import { Canvas, measureText } from '../../src/plot/canvas';
import { parseColor } from '../../src/plot/color';
import { GLYPH_ROWS, glyph } from '../../src/plot/font';

/** Pixels differing from white in the rectangle [x0, x1) x [y0, y1). */
function inked(c: Canvas, x0 = 0, y0 = 0, x1 = c.width, y1 = c.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = c.getPixel(x, y);
      if (r < 250 || g < 250 || b < 250) n++;
    }
  }
  return n;
}

describe('parseColor', () => {
  it('reads hex strings and tuples', () => {
    expect(parseColor('#4e79a7')).toEqual({ r: 0x4e, g: 0x79, b: 0xa7, a: 255 });
    expect(parseColor('#fff')).toEqual({ r: 255, g: 255, b: 255, a: 255 });
    expect(parseColor('#00000080').a).toBe(128);
    expect(parseColor([1, 2, 3])).toEqual({ r: 1, g: 2, b: 3, a: 255 });
    expect(() => parseColor('red')).toThrow(RangeError);
  });
});

describe('Canvas', () => {
  it('starts filled with the background and fills rectangles exactly', () => {
    const c = new Canvas(20, 10, '#102030');
    expect(c.getPixel(0, 0)).toEqual([0x10, 0x20, 0x30, 255]);
    c.fillRect(2, 3, 4, 5, '#ff0000');
    expect(c.getPixel(2, 3)).toEqual([255, 0, 0, 255]);
    expect(c.getPixel(5, 7)).toEqual([255, 0, 0, 255]);
    expect(c.getPixel(6, 7)).toEqual([0x10, 0x20, 0x30, 255]);
    expect(c.getPixel(5, 8)).toEqual([0x10, 0x20, 0x30, 255]);
  });

  it('rejects bad sizes and out-of-range reads', () => {
    expect(() => new Canvas(0, 10)).toThrow(RangeError);
    expect(() => new Canvas(1.5, 10)).toThrow(RangeError);
    expect(() => new Canvas(4, 4).getPixel(4, 0)).toThrow(RangeError);
  });

  it('blends translucent colours over what is there', () => {
    const c = new Canvas(2, 2, '#ffffff');
    c.fillRect(0, 0, 1, 1, [0, 0, 0, 128]);
    const [r, , , a] = c.getPixel(0, 0);
    expect(r).toBeGreaterThan(120);
    expect(r).toBeLessThan(135);
    expect(a).toBe(255);
  });

  it('draws a solid line along its path and nowhere far from it', () => {
    const c = new Canvas(100, 100);
    c.line(10.5, 10.5, 90.5, 90.5, { color: '#0000ff', width: 2 });
    for (const t of [10, 30, 50, 70, 90]) {
      const [r, g, b] = c.getPixel(t, t);
      expect(b).toBeGreaterThan(200);
      expect(r).toBeLessThan(60);
      expect(g).toBeLessThan(60);
    }
    expect(inked(c, 60, 0, 100, 30)).toBe(0);
    // A horizontal 1-px line on a pixel row lights exactly that row.
    const h = new Canvas(20, 5);
    h.line(2, 2.5, 18, 2.5, { color: '#000000', width: 1 });
    expect(h.getPixel(10, 2)[0]).toBe(0);
    expect(h.getPixel(10, 1)[0]).toBe(255);
    expect(h.getPixel(10, 3)[0]).toBe(255);
  });

  it('leaves gaps in dashed lines', () => {
    const c = new Canvas(200, 10);
    c.line(0, 5.5, 200, 5.5, { color: '#000000', width: 2, dash: [10, 6] });
    let on = 0, off = 0;
    for (let x = 0; x < 200; x++) (c.getPixel(x, 5)[0] < 128 ? on++ : off++);
    expect(on).toBeGreaterThan(100);
    expect(off).toBeGreaterThan(40);
  });

  it('respects the clip rectangle', () => {
    const c = new Canvas(50, 50);
    c.setClip(10, 10, 20, 20);
    c.fillRect(0, 0, 50, 50, '#000000');
    c.fillCircle(25, 25, 20, '#000000');
    expect(inked(c)).toBe(100);
    c.resetClip();
    c.fillRect(0, 0, 1, 1, '#000000');
    expect(inked(c)).toBe(101);
  });

  it('draws filled markers of every shape centred on the point', () => {
    for (const shape of ['circle', 'square', 'diamond', 'triangle', 'triangle-down', 'plus', 'cross'] as const) {
      const c = new Canvas(40, 40);
      c.marker(shape, 20, 20, 12, '#000000');
      expect(c.getPixel(20, 20)[0]).toBeLessThan(100);
      expect(inked(c, 0, 0, 10, 40)).toBe(0);
      expect(inked(c, 30, 0, 40, 40)).toBe(0);
    }
  });

  it('never writes outside the raster', () => {
    const c = new Canvas(10, 10);
    c.line(-100, -100, 100, 100, { color: '#000000', width: 5 });
    c.fillCircle(-5, 12, 8, '#000000');
    c.text('WIDE TEXT', -20, -3, { scale: 3 });
    expect(c.data.length).toBe(400);
  });
});

describe('text', () => {
  it('has a glyph for every printable ASCII character', () => {
    for (let code = 33; code <= 126; code++) {
      const g = glyph(String.fromCharCode(code));
      expect(g.rows).toBe(GLYPH_ROWS);
      expect(g.bits.some((b) => b === 1), String.fromCharCode(code)).toBe(true);
    }
    expect(glyph(' ').bits.every((b) => b === 0)).toBe(true);
    // Distinct shapes for characters that are easy to confuse.
    const key = (ch: string): string => Array.from(glyph(ch).bits).join('');
    const chars = 'B8O0DIl1|S5Z2()<>[]{}-_.,:;';
    expect(new Set([...chars].map(key)).size).toBe(chars.length);
  });

  it('renders non-empty pixels within its measured box', () => {
    const c = new Canvas(300, 60);
    const box = c.text('ELBO = -91.3 (nats)', 10, 10, { scale: 2, color: '#000000' });
    const m = measureText('ELBO = -91.3 (nats)', { scale: 2 });
    expect(box.w).toBe(m.width);
    expect(inked(c)).toBeGreaterThan(100);
    expect(inked(c, box.x, box.y, box.x + box.w, box.y + box.h)).toBe(inked(c));
    expect(m.capHeight).toBe(14);
  });

  it('is proportional, scales linearly, and widens by a pixel when bold', () => {
    expect(measureText('iii').width).toBeLessThan(measureText('mmm').width);
    expect(measureText('Epoch 12', { scale: 2 }).width).toBe(2 * measureText('Epoch 12').width);
    expect(measureText('x', { bold: true }).width).toBe(measureText('x').width + 1);
  });

  it('anchors by alignment', () => {
    const c = new Canvas(200, 40);
    const left = c.text('abc', 100, 5, { align: 'left' });
    const center = c.text('abc', 100, 5, { align: 'center' });
    const right = c.text('abc', 100, 5, { align: 'right' });
    expect(left.x).toBe(100);
    expect(right.x + right.w).toBe(100);
    expect(Math.abs(center.x + center.w / 2 - 100)).toBeLessThanOrEqual(1);
  });

  it('rotates text a quarter turn', () => {
    const c = new Canvas(60, 200);
    const m = measureText('ELBO (nats)', { scale: 2 });
    const box = c.text('ELBO (nats)', 30, 100, { scale: 2, rotate: 90, align: 'center', baseline: 'middle' });
    expect(box.w).toBe(m.height);
    expect(box.h).toBe(m.width);
    expect(inked(c)).toBeGreaterThan(100);
    // Reads bottom to top: the first letter ('E', a full-height stem) sits at the bottom.
    expect(inked(c, 0, box.y + box.h - 14, 60, box.y + box.h)).toBeGreaterThan(inked(c, 0, box.y, 60, box.y + 14));
  });

  it('raises ^{...} runs as superscripts', () => {
    const plain = measureText('10', { scale: 2 });
    const sup = measureText('10^{-3}', { scale: 2 });
    expect(sup.width).toBeGreaterThan(plain.width);
    expect(sup.capTop).toBeGreaterThan(0);
    // An unmatched '^{' is literal text.
    expect(measureText('a^{b').width).toBeGreaterThan(measureText('ab').width + measureText('^').width);
  });
});
