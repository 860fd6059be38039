/**
 * Model/guide agreement, checked statically (what Pyro's check_model_guide_match does at run
 * time): every latent model site has a guide site and vice versa, shapes agree, and the guide's
 * support lies inside the model's (otherwise the KL is infinite).
 */
import { isSubKind } from '../distributions/constraints';
import type * as A from './ast';
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
        ctx.accept('VAE404', `\`${m.name}\` is partly observed, so the guide must sample it where it is missing`, { span: m.stmt.name.span }, { hint: `add \`${m.name} ~ Categorical(probs: classifier(x)) @enumerate\` (or similar) to the guide` });
      } else if (guideDecl) {
        const example = m.spec.name === 'Normal' ? `\`${m.name} ~ Normal(q.loc, q.scale)\`` : `\`${m.name} ~ ${m.spec.name}(...)\``;
        ctx.accept('VAE401', `latent site \`${m.name}\` has no guide site`, { span: m.stmt.name.span }, { hint: `add a site for \`${m.name}\` to the guide, e.g. ${example} with parameters computed from the data` });
      }
      continue;
    }
    const note = { span: m.stmt.name.span, message: `the model's \`${m.name}\` is ${formatTensorType(m.type)}` };
    if (!sameShape(m.shape, g.shape) || (m.type.vk === 'Category' && m.type.classes !== g.type.classes)) {
      const classes = m.spec.shapeRule === 'categorical' || m.spec.shapeRule === 'onehot' ? (m.type.classes ?? m.shape[m.shape.length - 1]) : undefined;
      const hint = classes !== undefined ? `a guide site must have the same classes as its model site: make its probabilities a vector of ${classes}` : 'a guide site must have the same shape as its model site';
      ctx.accept('VAE405', `the guide's \`${g.name}\` is ${formatTensorType(g.type)} but the model's is ${formatTensorType(m.type)}`, { span: g.stmt.dist.span, message: `this is ${formatTensorType(g.type)}` }, { secondary: [note], hint });
      continue;
    }
    if (!isSubKind(g.spec.support, m.spec.support)) {
      ctx.accept('VAE405', `the guide's \`${g.spec.name}\` draws ${g.spec.support} values where the model's \`${m.spec.name}\` has support ${m.spec.support}`, { span: g.stmt.dist.span }, { secondary: [note], hint: 'the guide must not put mass where the model has none (the KL would be infinite); choose a guide family with the same support' });
    }
  }
  if (!modelDecl) {
    ctx.accept('VAE406', 'the program has no `model` block', { span: { file: ctx.sources.keys().next().value ?? '', start: 0, end: 0 } }, { hint: 'add `model { ... }` with the generative process, e.g. `z ~ Normal(0, 1)` and `x ~ Bernoulli(logits: decoder(z))`' });
  } else if (latents.some((m) => m.observed === 'no') && !guideDecl) {
    ctx.accept('VAE406', 'the model has latent sites but there is no `guide` block', { span: modelDecl.keywordSpan }, { hint: `add \`guide { ... }\` with a site for each of: ${latents.map((m) => m.name).join(', ')}` });
  }
  // Without a model block every guide site would be reported; VAE406 above says it once.
  for (const [g, m] of modelDecl ? orphans : []) {
    const name = g.name.text;
    if (m) {
      ctx.accept('VAE402', `guide site \`${name}\` has no model site`, { span: g.name.span }, { secondary: [{ span: m.stmt.name.span, message: `the model's latent \`${m.name}\` has no guide site` }], hint: `did you mean \`${m.name}\`? a guide site must have the name of the model site it approximates` });
    } else {
      ctx.accept('VAE402', `guide site \`${name}\` has no model site`, { span: g.name.span }, { hint: `every guide site approximates the posterior of a model site with the same name; the model's latent sites are: ${latents.map((l) => l.name).join(', ') || 'none'}` });
    }
  }
  for (const d of ctx.data.values()) {
    if (d.partial && !ctx.modelledData.has(d.name)) {
      ctx.accept('VAE408', `\`${d.name}\` is partly observed but the model has no site for it`, { span: d.decl.name.span }, { hint: `add \`${d.name} ~ Categorical(probs: uniform(${d.type.classes}))\` to the model` });
    } else if (!ctx.usedData.has(d.name) && !ctx.modelledData.has(d.name)) {
      ctx.accept('VAE407', `data \`${d.name}\` is never used`, { span: d.decl.name.span }, { hint: `observe it in the model with \`${d.name} ~ ...\`, or remove the declaration` });
    }
  }
}
