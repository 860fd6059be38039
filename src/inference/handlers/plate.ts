/**
 * `plate(shape)`: fresh samples cover the batch shape `shape`, e.g. [K, B]: K particles of B
 * examples, vectorized (never a JS loop over particles).
 */
import type { Handler, SampleMsg } from '../messages';

export function plate(shape: readonly number[]): Handler {
  return {
    process(msg: SampleMsg) {
      msg.plate = shape;
    },
  };
}
