/** Drawing an image grid (protocol.ts's Images: values in [0, 1]) into a canvas, gray levels, 1 px gaps. */
import type { Images } from '../protocol';

export function drawImages(canvas: HTMLCanvasElement, im: Images, scale = im.cols > 10 ? 1 : 2): void {
  const rows = Math.ceil(im.n / im.cols);
  const cw = im.w * scale + 1;
  const ch = im.h * scale + 1;
  canvas.width = im.cols * cw + 1;
  canvas.height = rows * ch + 1;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(canvas.width, canvas.height);
  img.data.fill(255);
  const size = im.h * im.w;
  for (let k = 0; k < im.n; k++) {
    const r0 = Math.floor(k / im.cols) * ch + 1;
    const c0 = (k % im.cols) * cw + 1;
    for (let y = 0; y < im.h * scale; y++) {
      for (let x = 0; x < im.w * scale; x++) {
        const v = im.pixels[k * size + Math.floor(y / scale) * im.w + Math.floor(x / scale)]!;
        const g = 255 - Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
        const o = 4 * ((r0 + y) * canvas.width + c0 + x);
        img.data[o] = img.data[o + 1] = img.data[o + 2] = g;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}
