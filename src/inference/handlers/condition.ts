/**
 * `condition(data)`: an observed site takes its data value. A partly observed site (`y?`)
 * records the observation and its mask; the value becomes where(mask, observed, latent) once
 * the latent part is known (sampled, enumerated or replayed). A step `x[3]` of data observed
 * step by step takes entry 3 of the data's time axis.
 */
import type { Handler, Observation, SampleMsg } from '../messages';
import { entryAt } from '../indexing';
import { mergeObserved } from '../runtime';

export function condition(observations: ReadonlyMap<string, Observation>): Handler {
  const steps = new Map<string, Observation>();
  // One step of data observed step by step (`x[t] ~ ...`): entry t of the time axis, [B, ...step].
  const stepOf = (site: SampleMsg['site']): Observation | undefined => {
    const step = site.step;
    const whole = step ? observations.get(step.base) : undefined;
    if (!step || !whole || whole.mask !== null) return undefined;
    let obs = steps.get(site.name);
    if (!obs) {
      const present = whole.present ? entryAt(whole.present, site.shape.length + 1, step.index) : null; // [B, ...step]: a `?` sequence's observed entries
      obs = { value: entryAt(whole.value, site.shape.length + 1, step.index), mask: null, present }; // [B, ...step]
      steps.set(site.name, obs);
    }
    return obs;
  };
  return {
    process(msg: SampleMsg) {
      const obs = observations.get(msg.site.name) ?? stepOf(msg.site);
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
