/**
 * The page's charts: the CLI's own Vega-Lite specifications (src/figures/specs: the training
 * curves of curves.png, the latent scatter of `vae sample --scatter`), compiled with
 * vega-lite and drawn by vega as SVG. Redraws are throttled: a curve updated every few steps
 * redraws at most every 400 ms.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const views = new WeakMap<HTMLElement, vega.View>();

export async function drawSpec(el: HTMLElement, spec: TopLevelSpec): Promise<void> {
  views.get(el)?.finalize();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'svg', container: el, hover: false });
  views.set(el, view);
  await view.runAsync();
}

/** Calls `draw` at most once per `ms`, always ending with the latest state. */
export function throttled(draw: () => Promise<void>, ms = 400): () => void {
  let pending = false;
  let last = 0;
  return () => {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, last + ms - performance.now());
    setTimeout(() => {
      pending = false;
      last = performance.now();
      void draw();
    }, wait);
  };
}
