/**
 * What the path-derivative rules (reparam, stl, dreg) require of a site, in the order the plan
 * reports it: a bound to estimate (stl, dreg), a continuous site, a guide density at detached
 * parameters (stl, dreg: not a Flow), a reparameterized sampler, and for the detaching rules a
 * guide distribution that reads no other reparameterized site.
 */
import { MAX_ENUMERATE } from '../../distributions/schema';
import { shortObjective } from '../../dsl/objectives';
import type { Refusal, SiteFacts } from './rule';

/** The fields every refusal of `estimator` for the site carries. */
export function refused(estimator: string, f: SiteFacts): { site: string; estimator: string; objective: string } {
  return { site: f.site.name, estimator, objective: shortObjective(f.objective) };
}

export function pathwiseRefusal(name: string, detaches: boolean, f: SiteFacts, objectiveRefusal: () => Refusal | undefined): Refusal | undefined {
  const g = f.site;
  const n = f.supportSize;
  if (detaches && f.objective.kind === 'expectation') {
    return { code: 'VAE505', problem: { kind: 'bound-estimator-on-expectation', ...refused(name, f), bound: 'variational' } };
  }
  if (f.discrete) {
    return { code: 'VAE501', problem: { kind: 'discrete-not-reparameterizable', ...refused(name, f), family: g.spec.name, enumerable: n !== undefined && n <= MAX_ENUMERATE } };
  }
  if (detaches && g.spec.name === 'Flow') {
    return { code: 'VAE504', problem: { kind: 'flow-without-detached-density', ...refused(name, f) } };
  }
  if (!g.spec.reparam) {
    return { code: 'VAE504', problem: { kind: 'no-reparameterized-sampler', ...refused(name, f), family: g.spec.name } };
  }
  const byObjective = objectiveRefusal();
  if (byObjective) return byObjective;
  if (detaches) {
    const parent = [...g.deps].find((d) => f.pathwiseSites.has(d));
    if (parent) {
      return { code: 'VAE505', problem: { kind: 'reads-reparameterized-site', ...refused(name, f), parent } };
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
  return { code: 'VAE505', problem: { kind: 'beside-enumeration', ...refused(name, f) } };
}
