/** What a range renderer makes of a problem: the diagnostic's message and at most one hint. */
export interface Rendered {
  readonly message: string;
  readonly hint?: string;
}

/** A `Rendered` without a `hint` key when there is none (so JSON and equality stay clean). */
export function rendered(message: string, hint?: string): Rendered {
  return hint === undefined ? { message } : { message, hint };
}
