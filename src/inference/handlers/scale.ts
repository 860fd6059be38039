/** `scale(factor)`: multiplies the log-density of every site it sees (e.g. N/B minibatch scaling). */
import type { Handler, SampleMsg } from '../messages';

export function scale(factor: number): Handler {
  return {
    process(msg: SampleMsg) {
      msg.scale *= factor;
    },
  };
}
