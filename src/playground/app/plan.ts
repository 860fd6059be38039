/** The estimator-plan table of `vae check`, as HTML: site, distribution, estimator, why. */
import type { CheckOutcome } from '../../checking';
import { formatObjective } from '../../dsl/train-config';
import { describeDist, explainSite } from '../../inference/plan';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function planHtml(r: CheckOutcome): string {
  if (!r.checked || !r.plan) {
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    return `<p class="muted">no plan: the program has ${n} error${n === 1 ? '' : 's'}</p>`;
  }
  const plan = r.plan;
  const cp = r.checked;
  const head = `<p><b>${esc(cp.program.file)}</b>: ok (${cp.model.sites.length} model site${cp.model.sites.length === 1 ? '' : 's'}, ${plan.sites.length} latent) · objective <code>${esc(formatObjective(plan.objective))}</code></p>`;
  if (plan.sites.length === 0) return `${head}<p class="muted">no latent sites</p>`;
  const rows = plan.sites.map((s) => `<tr><td><code>${esc(s.name)}</code></td><td>${esc(describeDist(s.guide))}</td><td><b>${esc(s.estimator)}</b></td><td>${esc(explainSite(s, plan.freeBits))}</td></tr>`).join('');
  return `${head}<table id="plan-table"><thead><tr><th>site</th><th>distribution</th><th>estimator</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`;
}
