/** `replay(guideTrace)`: a model's latent site takes the value the guide sampled for it. */
import type { Handler, SampleMsg } from '../messages';
import type { Trace } from './trace';

export function replay(guide: Trace): Handler {
  return {
    process(msg: SampleMsg) {
      if (msg.site.observed === 'yes') return;
      const g = guide.get(msg.site.name);
      if (!g || g.value === null) return;
      msg.value = g.value;
      msg.enumDim = g.enumDim;
      msg.estimator = g.estimator;
      msg.done = true;
    },
  };
}
