/**
 * `condition(data)`: an observed site takes its data value. A partly observed site (`y?`)
 * records the observation and its mask; the value becomes where(mask, observed, latent) once
 * the latent part is known (sampled, enumerated or replayed).
 */
import type { Handler, Observation, SampleMsg } from '../messages';
import { mergeObserved } from '../runtime';

export function condition(observations: ReadonlyMap<string, Observation>): Handler {
  return {
    process(msg: SampleMsg) {
      const obs = observations.get(msg.site.name);
      if (!obs) return;
      msg.observation = obs;
      if (obs.mask === null) {
        msg.value = obs.value;
        msg.done = true;
      }
    },
    postprocess(msg: SampleMsg) {
      const obs = msg.observation;
      if (!obs?.mask || msg.value === null || msg.done === false) return;
      msg.value = mergeObserved(obs.value, obs.mask, msg.value);
    },
  };
}
