/**
 * SamplingError: a sampler cannot draw with the parameters it was given (e.g. a Multinomial
 * without a total count). The message says why and the hint what to do; the runtime reports it
 * at the site's span (VAE902) with this hint rather than a generic one.
 */
export class SamplingError extends Error {
  override readonly name = 'SamplingError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
