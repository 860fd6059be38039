/**
 * The latent lines of `vae eval`: active units, collapse, KL per dimension and the ELBO
 * decomposition for each latent site. A sequence's steps (`z[0]`, ..., `z[T-1]`, one site
 * identity) are summarized in one group of lines by default, with the KL of every step;
 * `--per-step` prints each step's lines as for a site of its own.
 */
import type { LatentStats } from '../eval/metrics';

const label = (s: string): string => `  ${s.length >= 22 ? `${s} ` : s.padEnd(22)}`;

/** The lines of one site (or of one step of a sequence). */
function siteLines(l: LatentStats, recon: number, eps: number): string[] {
  const out = [`${label(`active units (${l.site})`)}${l.activeUnits} / ${l.dims}  (Cov_x E_q[u] > 0.01)`];
  if (l.klPerDim && l.collapsed !== null) {
    out.push(`${label(`collapsed (${l.site})`)}${(100 * l.collapsed).toFixed(0)}% of dimensions (KL < ${eps} for 99% of examples)`);
    const top = l.klPerDim.map((v, i) => [i, v] as const).sort((a, b) => b[1] - a[1]).slice(0, 8);
    out.push(`${label(`KL per dim (${l.site})`)}${top.map(([i, v]) => `${l.site}[${i}] ${v.toFixed(2)}`).join(', ')}${l.dims > 8 ? ', ...' : ''}`);
  } else {
    out.push(`${label(`KL (${l.site})`)}${l.klTotal.toFixed(2)} nats (${l.site}'s densities do not factorize over dimensions: no per-dimension KL)`);
  }
  if (l.mutualInformation !== null) out.push(decomposition(l, recon));
  return out;
}

function decomposition(l: LatentStats, recon: number): string {
  return `${label('ELBO decomposition')}reconstruction ${recon.toFixed(2)} − I(x;${l.site}) ${l.mutualInformation!.toFixed(2)} − KL(q(${l.site})‖p) ${l.marginalKl!.toFixed(2)}`;
}

/** The steps of one sequence site, summarized: the totals over steps and each step's KL. */
function sequenceLines(base: string, steps: readonly { step: number; l: LatentStats }[], recon: number, eps: number): string[] {
  const first = steps[0]!.step;
  const last = steps[steps.length - 1]!.step;
  const range = `${base}[${first}..${last}]`;
  const dims = steps.reduce((a, s) => a + s.l.dims, 0);
  const active = steps.reduce((a, s) => a + s.l.activeUnits, 0);
  const out = [`${label(`active units (${range})`)}${active} / ${dims} over ${steps.length} steps  (Cov_x E_q[u] > 0.01)`];
  if (steps.every((s) => s.l.collapsed !== null)) {
    const collapsed = steps.reduce((a, s) => a + s.l.collapsed! * s.l.dims, 0) / dims;
    out.push(`${label(`collapsed (${range})`)}${(100 * collapsed).toFixed(0)}% of dimensions (KL < ${eps} for 99% of examples)`);
  }
  const shown = steps.length > 10 ? [...steps.slice(0, 8), null, steps[steps.length - 1]!] : steps;
  out.push(`${label(`KL per step (${base})`)}${shown.map((s) => (s ? `${base}[${s.step}] ${s.l.klTotal.toFixed(2)}` : '...')).join(', ')}`);
  for (const s of steps) if (s.l.mutualInformation !== null) out.push(decomposition(s.l, recon));
  return out;
}

/** Every latent site's lines, in site order; sequence steps grouped unless `perStep`. */
export function latentLines(latents: readonly LatentStats[], recon: number, eps: number, perStep: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < latents.length; ) {
    const m = /^(.*)\[(\d+)\]$/.exec(latents[i]!.site);
    if (perStep || !m) {
      out.push(...siteLines(latents[i]!, recon, eps));
      i++;
      continue;
    }
    // Consecutive steps of the same sequence site.
    const base = m[1]!;
    const steps: { step: number; l: LatentStats }[] = [];
    while (i < latents.length) {
      const n = /^(.*)\[(\d+)\]$/.exec(latents[i]!.site);
      if (!n || n[1] !== base) break;
      steps.push({ step: Number(n[2]), l: latents[i]! });
      i++;
    }
    out.push(...(steps.length === 1 ? siteLines(steps[0]!.l, recon, eps) : sequenceLines(base, steps, recon, eps)));
  }
  return out;
}
