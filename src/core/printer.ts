/**
 * Where a command's lines of text go: `out` for results (stdout: JSON, tables), `err` for
 * progress and messages (stderr). The CLI writes them to the terminal; tests and the API
 * capture them. Services (train, compare) write whole lines here and never touch a terminal.
 */
export interface Printer {
  out(s: string): void;
  err(s: string): void;
  /** Whether the lines may carry ANSI colour. */
  readonly color: boolean;
}
