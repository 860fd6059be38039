/** `trace`: records every sample message, in program order, keyed by site name. */
import type { Handler, SampleMsg } from '../messages';

export class TraceHandler implements Handler {
  readonly sites = new Map<string, SampleMsg>();

  postprocess(msg: SampleMsg): void {
    this.sites.set(msg.site.name, msg);
  }
}

export type Trace = ReadonlyMap<string, SampleMsg>;
