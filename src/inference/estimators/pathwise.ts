/**
 * What the path-derivative rules (reparam, stl, dreg) require of a site, in the order the plan
 * reports it: a bound to estimate (stl, dreg), a continuous site, a guide density at detached
 * parameters (stl, dreg: not a Flow), a reparameterized sampler, and for the detaching rules a
 * guide distribution that reads no other reparameterized site.
 */
import { MAX_ENUMERATE } from '../../distributions/schema';
import type { Refusal, SiteFacts } from './rule';

export function pathwiseRefusal(name: string, detaches: boolean, f: SiteFacts, objectiveRefusal: () => Refusal | undefined): Refusal | undefined {
  const g = f.site;
  const n = f.supportSize;
  if (detaches && f.objective.kind === 'expectation') {
    return { code: 'VAE505', message: `\`${name}\` is an estimator of a variational bound; the objective is an expectation`, hint: (e) => `use ${e('reparam')} or ${e('score')}` };
  }
  if (f.discrete) {
    return {
      code: 'VAE501',
      message: `\`${g.name}\` is discrete (${g.spec.name}); it cannot be reparameterized`,
      hint: (e) => (n !== undefined && n <= MAX_ENUMERATE ? `use ${e('enumerate')} (exact) or ${e('score')}; or a relaxation such as \`RelaxedOneHotCategorical\`` : `use ${e('score')}; or a relaxation such as \`RelaxedOneHotCategorical\``),
    };
  }
  if (detaches && g.spec.name === 'Flow') {
    return { code: 'VAE504', message: `\`${name}\` needs the guide density at detached parameters, which a Flow does not have`, hint: (e) => `use ${e('reparam')} for flow guides` };
  }
  if (!g.spec.reparam) {
    return { code: 'VAE504', message: `\`${g.spec.name}\` has no reparameterized sampler`, hint: (e) => `use ${e('score')}, or a family with a reparameterized sampler such as \`LogNormal\`` };
  }
  const byObjective = objectiveRefusal();
  if (byObjective) return byObjective;
  if (detaches) {
    const parent = [...g.deps].find((d) => f.pathwiseSites.has(d));
    if (parent) {
      return { code: 'VAE505', message: `\`${name}\` for \`${g.name}\` needs its guide distribution to be free of other reparameterized sites, but it depends on \`${parent}\``, hint: (e) => `use ${e('reparam')} for this site` };
    }
  }
  return undefined;
}

/** "Bernoulli has no reparameterized sampler and 1024 values are too many to enumerate" */
export function noSampler(f: SiteFacts): string {
  const n = f.supportSize;
  return `${f.site.spec.name} has no reparameterized sampler${n !== undefined ? ` and ${n} values are too many to enumerate` : ''}`;
}

/** Refused beside an enumerated site (dreg, vimco). */
export function besideEnumeration(name: string, f: SiteFacts): Refusal | undefined {
  if (!f.enumerated) return undefined;
  return { code: 'VAE505', message: `\`${name}\` is not available when another site is enumerated`, hint: (e) => `use ${e('reparam')} (or ${e('score')}) for this site, or sample the enumerated site` };
}
