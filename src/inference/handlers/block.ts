/** `block(pred)`: hides matching sites from the handlers outside it (Pyro's `block`). */
import type { Handler, SampleMsg } from '../messages';

export function block(hide: (msg: SampleMsg) => boolean): Handler {
  return {
    process(msg: SampleMsg) {
      if (hide(msg)) msg.stop = true;
    },
  };
}
