/**
 * Model/guide agreement, checked statically (what Pyro's check_model_guide_match does at run
 * time): every latent model site has a guide site and vice versa, shapes agree, and the guide's
 * support lies inside the model's (otherwise the KL is infinite).
 */
import { isSubKind } from '../distributions/constraints';
import type * as A from './ast';
import { typeData } from './problems/shapes';
import type { CheckContext } from './check-context';
import type { SiteInfo } from './checked';
import { suggest } from './suggest';
import { formatTensorType, sameShape } from './types';

export function checkModelGuide(ctx: CheckContext, model: readonly SiteInfo[], guide: readonly SiteInfo[], modelDecl: A.BlockDecl | null, guideDecl: A.BlockDecl | null, guideStmts: readonly A.FlatStmt[], modelNames: ReadonlySet<string>, guideNames: ReadonlySet<string>): void {
  const guideByName = new Map(guide.map((s) => [s.name, s]));
  const modelByName = new Map(model.map((s) => [s.name, s]));
  const latents = model.filter((s) => s.observed !== 'yes');
  // Guide sites without a model site, each with the unmatched latent it probably misspells:
  // one diagnostic (VAE402, pointing at both) instead of VAE401 and VAE402 for one typo.
  const unmatchedLatents = latents.filter((m) => !guideNames.has(m.name)).map((m) => m.name);
  const orphans = new Map<A.SiteStmt, SiteInfo | undefined>();
  for (const g of guideStmts) {
    if (g.kind !== 'site') continue;
    const name = g.name.text;
    if (modelByName.has(name) || ctx.data.has(name) || modelNames.has(name)) continue;
    const close = suggest(name, unmatchedLatents);
    orphans.set(g, close === undefined ? undefined : modelByName.get(close));
  }
  const misspelled = new Set([...orphans.values()].filter((m) => m !== undefined).map((m) => m.name));
  for (const m of latents) {
    const g = guideByName.get(m.name);
    if (!g && guideNames.has(m.name)) continue;
    if (!g && misspelled.has(m.name)) continue;
    if (!g) {
      if (m.observed === 'partial') {
        ctx.report('VAE404', { kind: 'partial-site-not-in-guide', site: m.name }, { span: m.stmt.name.span });
      } else if (guideDecl) {
        ctx.report('VAE401', { kind: 'latent-without-guide-site', site: m.name, family: m.spec.name }, { span: m.stmt.name.span });
      }
      continue;
    }
    const note = { span: m.stmt.name.span, message: `the model's \`${m.name}\` is ${formatTensorType(m.type)}` };
    if (!sameShape(m.shape, g.shape) || (m.type.vk === 'Category' && m.type.classes !== g.type.classes)) {
      const classes = m.spec.shapeRule === 'categorical' || m.spec.shapeRule === 'onehot' ? (m.type.classes ?? m.shape[m.shape.length - 1]) : undefined;
      ctx.report('VAE405', { kind: 'guide-type-differs', site: g.name, guide: typeData(g.type), model: typeData(m.type), ...(classes !== undefined ? { classes } : {}) }, { span: g.stmt.dist.span, message: `this is ${formatTensorType(g.type)}` }, { secondary: [note] });
      continue;
    }
    if (!isSubKind(g.spec.support, m.spec.support)) {
      ctx.report('VAE405', { kind: 'guide-support-differs', site: g.name, guideFamily: g.spec.name, guideSupport: g.spec.support, modelFamily: m.spec.name, modelSupport: m.spec.support }, { span: g.stmt.dist.span }, { secondary: [note] });
    }
  }
  if (!modelDecl) {
    ctx.report('VAE406', { kind: 'no-model-block' }, { span: { file: ctx.sources.keys().next().value ?? '', start: 0, end: 0 } });
  } else if (latents.some((m) => m.observed === 'no') && !guideDecl) {
    ctx.report('VAE406', { kind: 'no-guide-block', latents: latents.map((m) => m.name) }, { span: modelDecl.keywordSpan });
  }
  // Without a model block every guide site would be reported; VAE406 above says it once.
  for (const [g, m] of modelDecl ? orphans : []) {
    const name = g.name.text;
    if (m) {
      ctx.report('VAE402', { kind: 'guide-site-without-model-site', site: name, latents: latents.map((l) => l.name), suggestion: m.name }, { span: g.name.span }, { secondary: [{ span: m.stmt.name.span, message: `the model's latent \`${m.name}\` has no guide site` }] });
    } else {
      ctx.report('VAE402', { kind: 'guide-site-without-model-site', site: name, latents: latents.map((l) => l.name) }, { span: g.name.span });
    }
  }
  for (const d of ctx.data.values()) {
    if (d.partial && !ctx.modelledData.has(d.name)) {
      ctx.report('VAE408', { kind: 'partial-data-not-modelled', data: d.name, classes: d.type.classes ?? null }, { span: d.decl.name.span });
    } else if (!ctx.usedData.has(d.name) && !ctx.modelledData.has(d.name)) {
      ctx.report('VAE407', { kind: 'data-never-used', data: d.name }, { span: d.decl.name.span });
    }
  }
}
