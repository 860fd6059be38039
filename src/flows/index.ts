/**
 * Normalizing flows for vector latents: layers (planar and radial, Rezende & Mohamed 2015; IAF
 * with a MADE, Kingma et al. 2016 / Germain et al. 2015; affine coupling, Dinh et al. 2017) and
 * the Flow distribution. Each layer module exports `paramShapes(d, options)` (name -> shape and
 * initializer, for {@link createParams}) and `build(params, options[, context])`.
 * @example
 *   import { planar, createParams, FlowDist } from '../flows';
 *   const layers = [0, 1].map((i) => planar.build(createParams(store, `q_z.flow${i}`, 'q_z', planar.paramShapes(8), rng.fold(i))));
 *   const q = new FlowDist(base, layers);
 */
export * as planar from './planar';
export * as radial from './radial';
export * as iaf from './iaf';
export * as coupling from './coupling';
export { madeDegrees, madeMasks, type MadeDegrees, type Mask } from './made';
export { FlowDist, Flow } from './flow-dist';
export {
  createParams,
  initialValue,
  FLOW_LAYER_KINDS,
  type Activation,
  type FlowLayer,
  type FlowLayerKind,
  type Initializer,
  type LayerOutput,
  type ParamShape,
  type ParamShapes,
} from './common';
