/**
 * Schemas of the families built from components: a mixture of Gaussians (an ordinary family,
 * `MixtureNormal(weights, locs, scales)`, and the learnable `MixtureNormal(k: 10)`), and the
 * normalizing flow `Flow(base, [layers])`, which the compiler assembles (no implementation in
 * the registry; see flows/flow-dist.ts).
 */
import { SUPPORT, type FamilySchema } from '../schema';

export const MixtureNormal: FamilySchema = {
  name: 'MixtureNormal',
  doc: 'A mixture of k diagonal Gaussians over the whole site, with weights [k], locs and scales [k, ...shape].',
  params: [
    { name: 'weights', kind: 'Simplex', doc: 'mixture weights [k]', rank: 1 },
    { name: 'locs', kind: 'Real', doc: 'component means [k, ...shape]', extraAxes: 1 },
    { name: 'scales', kind: 'Positive', doc: 'component standard deviations [k, ...shape]', extraAxes: 1 },
  ],
  support: 'Real',
  shapeRule: 'mixture',
  eventRank: 0,
  reparam: false,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};

export const Flow: FamilySchema = {
  name: 'Flow',
  doc: 'A base distribution over vectors pushed through normalizing-flow layers (planar, radial, IAF, affine coupling).',
  reference: 'Rezende & Mohamed 2015; Kingma et al. 2016 (IAF); Dinh et al. 2017 (Real NVP)',
  params: [],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};
