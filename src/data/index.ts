/**
 * The data layer: plain-JS loaders returning typed arrays (no tfjs here; the tfjs bridge is
 * `./tensors`, imported separately so that loading data never loads tfjs).
 */
export * from './ndarray';
export * from './errors';
export * from './files';
export * from './idx';
export * from './npy';
export * from './read-array';
export * from './csv';
export * from './validate';
export * from './binarize';
export * from './dataset';
export * from './batches';
export * from './synthetic';
export * from './download';
export * from './mnist';
export * from './binarized-mnist';
export * from './datasets';
export * from './png';
