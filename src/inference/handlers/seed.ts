/** `seed(rng)`: each site draws from its own stream, rng.fold(site id): reproducible traces. */
import type { Handler, SampleMsg } from '../messages';
import type { Rng } from '../../core/rng';

export function seed(rng: Rng): Handler {
  return {
    process(msg: SampleMsg) {
      if (msg.rng === null) msg.rng = rng.fold(msg.site.id);
    },
  };
}
