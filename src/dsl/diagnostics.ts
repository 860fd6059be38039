/**
 * Diagnostics are data: a stable code, a severity, a message, a primary label (the span it is
 * about), optional secondary labels (a second place that disagrees) and at most one hint.
 * What the problem is, is data too (`data`, a `ProblemData` from problems/): `problem()` builds
 * the message and hint from it with its range's renderer, so a call site passes values, not
 * prose. Rendering to text is separate (render-diagnostic.ts). The catalog below is the single
 * list of codes: the docs table and the golden-test meta-test both read it.
 *
 * Ranges: VAE1xx syntax, VAE2xx names, VAE3xx types and shapes, VAE4xx model/guide,
 * VAE5xx estimators, VAE6xx train block and reuse (`extends`, `--set`), VAE7xx data and files,
 * VAE9xx runtime (training and evaluation).
 */
import { renderProblem, type ProblemData } from './problems/index';
import type { Span } from './source';

export type Severity = 'error' | 'warning';
export type Phase = 'check' | 'runtime';

export interface CodeInfo {
  readonly title: string;
  readonly severity: Severity;
  readonly phase: Phase;
}

export const CODES = {
  VAE101: { title: 'unexpected character', severity: 'error', phase: 'check' },
  VAE102: { title: 'unterminated string', severity: 'error', phase: 'check' },
  VAE103: { title: 'expected a different token', severity: 'error', phase: 'check' },
  VAE104: { title: 'unexpected token', severity: 'error', phase: 'check' },
  VAE105: { title: 'missing value', severity: 'error', phase: 'check' },
  VAE106: { title: 'unterminated comment', severity: 'error', phase: 'check' },
  VAE107: { title: 'nested too deeply', severity: 'error', phase: 'check' },

  VAE201: { title: 'unknown name', severity: 'error', phase: 'check' },
  VAE202: { title: 'unknown distribution', severity: 'error', phase: 'check' },
  VAE203: { title: 'unknown function or net', severity: 'error', phase: 'check' },
  VAE204: { title: 'unknown type', severity: 'error', phase: 'check' },
  VAE205: { title: 'unknown net body or activation', severity: 'error', phase: 'check' },
  VAE206: { title: 'unknown output field', severity: 'error', phase: 'check' },
  VAE207: { title: 'duplicate definition', severity: 'error', phase: 'check' },
  VAE208: { title: 'used before it is defined', severity: 'error', phase: 'check' },
  VAE209: { title: 'unknown annotation', severity: 'error', phase: 'check' },
  VAE210: { title: 'Python-style qualified name', severity: 'error', phase: 'check' },

  VAE301: { title: 'shape mismatch', severity: 'error', phase: 'check' },
  VAE302: { title: 'shapes do not broadcast', severity: 'error', phase: 'check' },
  VAE303: { title: 'wrong number of net inputs', severity: 'error', phase: 'check' },
  VAE304: { title: 'net input of the wrong type or shape', severity: 'error', phase: 'check' },
  VAE305: { title: 'wrong distribution arguments', severity: 'error', phase: 'check' },
  VAE306: { title: 'parameter outside its constraint', severity: 'error', phase: 'check' },
  VAE307: { title: 'type outside the distribution support', severity: 'error', phase: 'check' },
  VAE308: { title: 'not a compile-time integer', severity: 'error', phase: 'check' },
  VAE309: { title: 'invalid type', severity: 'error', phase: 'check' },
  VAE310: { title: 'wrong arguments to a built-in', severity: 'error', phase: 'check' },
  VAE311: { title: 'a distribution is not a value', severity: 'error', phase: 'check' },
  VAE312: { title: 'not a tensor', severity: 'error', phase: 'check' },
  VAE313: { title: 'invalid net', severity: 'error', phase: 'check' },
  VAE314: { title: 'class count mismatch', severity: 'error', phase: 'check' },
  VAE315: { title: 'not a distribution', severity: 'error', phase: 'check' },
  VAE316: { title: 'flow layer without a density at a given value', severity: 'error', phase: 'check' },
  VAE317: { title: 'too large to allocate', severity: 'error', phase: 'check' },
  VAE330: { title: 'net layer does not fit its input', severity: 'error', phase: 'check' },
  VAE331: { title: 'net layers do not fit the declared output', severity: 'error', phase: 'check' },
  VAE332: { title: 'recurrent net without a time axis', severity: 'error', phase: 'check' },
  VAE333: { title: 'invalid index', severity: 'error', phase: 'check' },
  VAE334: { title: 'index out of range', severity: 'error', phase: 'check' },
  VAE335: { title: 'site in a loop without a step index', severity: 'error', phase: 'check' },

  VAE401: { title: 'latent site without a guide site', severity: 'error', phase: 'check' },
  VAE402: { title: 'guide site without a model site', severity: 'error', phase: 'check' },
  VAE403: { title: 'observed data sampled in the guide', severity: 'error', phase: 'check' },
  VAE404: { title: 'partially observed site missing from the guide', severity: 'error', phase: 'check' },
  VAE405: { title: 'guide and model disagree on a site', severity: 'error', phase: 'check' },
  VAE406: { title: 'missing block', severity: 'error', phase: 'check' },
  VAE407: { title: 'data never used', severity: 'warning', phase: 'check' },
  VAE408: { title: 'partially observed data is not modelled', severity: 'error', phase: 'check' },
  VAE409: { title: 'steps of the data not observed', severity: 'error', phase: 'check' },

  VAE501: { title: 'reparameterization of a discrete site', severity: 'error', phase: 'check' },
  VAE502: { title: 'enumeration of a continuous site', severity: 'error', phase: 'check' },
  VAE503: { title: 'support too large to enumerate', severity: 'error', phase: 'check' },
  VAE504: { title: 'no reparameterized sampler', severity: 'error', phase: 'check' },
  VAE505: { title: 'estimator does not fit the objective', severity: 'error', phase: 'check' },
  VAE506: { title: 'annotation on a model site', severity: 'error', phase: 'check' },
  VAE507: { title: 'conflicting annotations', severity: 'error', phase: 'check' },

  VAE601: { title: 'unknown train setting', severity: 'error', phase: 'check' },
  VAE602: { title: 'invalid train setting', severity: 'error', phase: 'check' },
  VAE603: { title: 'extends cycle', severity: 'error', phase: 'check' },
  VAE604: { title: 'override of an unknown site', severity: 'error', phase: 'check' },
  VAE605: { title: 'extended file not found', severity: 'error', phase: 'check' },
  VAE606: { title: 'invalid classification target', severity: 'error', phase: 'check' },
  VAE607: { title: 'duplicate train setting', severity: 'warning', phase: 'check' },
  VAE608: { title: 'override outside a child file', severity: 'error', phase: 'check' },
  VAE609: { title: 'train setting without effect', severity: 'warning', phase: 'check' },
  VAE610: { title: 'extends in a --set fragment', severity: 'error', phase: 'check' },
  VAE611: { title: 'ambiguous override of a stepped site', severity: 'error', phase: 'check' },

  VAE701: { title: 'file not found', severity: 'error', phase: 'runtime' },
  VAE702: { title: 'invalid data', severity: 'error', phase: 'runtime' },
  VAE703: { title: 'corrupt or missing checkpoint', severity: 'error', phase: 'runtime' },
  VAE704: { title: 'invalid command-line value', severity: 'error', phase: 'runtime' },
  VAE705: { title: 'file system error', severity: 'error', phase: 'runtime' },

  VAE901: { title: 'non-finite value during training', severity: 'error', phase: 'runtime' },
  VAE902: { title: 'runtime shape error', severity: 'error', phase: 'runtime' },
  VAE903: { title: 'runtime error', severity: 'error', phase: 'runtime' },
  VAE904: { title: 'out of memory', severity: 'error', phase: 'runtime' },
} as const satisfies Record<string, CodeInfo>;

export type DiagCode = keyof typeof CODES;

export interface Label {
  readonly span: Span;
  readonly message?: string;
}

/**
 * What a diagnostic is about, as data: the values a front end needs without parsing the message
 * (`vae check --json` carries it as `data`). One union per code range in problems/; codes not
 * converted yet carry none.
 */
export type { ProblemData } from './problems/index';

export interface Diagnostic {
  readonly code: DiagCode;
  readonly severity: Severity;
  readonly message: string;
  readonly primary: Label;
  readonly secondary: readonly Label[];
  readonly hint?: string;
  readonly data?: ProblemData;
}

/** Builds a diagnostic with the catalog's severity. */
export function diag(
  code: DiagCode,
  message: string,
  primary: Label,
  extra: { hint?: string | undefined; secondary?: Label[]; data?: ProblemData } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, message, primary, secondary: extra.secondary ?? [] };
  const withHint = extra.hint === undefined ? d : { ...d, hint: extra.hint };
  return extra.data === undefined ? withHint : { ...withHint, data: extra.data };
}

/**
 * Builds a diagnostic from its data: the message and hint come from the range's renderer
 * (problems/), so a call site passes only the problem, the spans and their labels.
 */
export function problem(code: DiagCode, data: ProblemData, primary: Label, extra: { secondary?: Label[] } = {}): Diagnostic {
  const { message, hint } = renderProblem(data);
  return diag(code, message, primary, { hint, data, ...(extra.secondary ? { secondary: extra.secondary } : {}) });
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Sorts by file, then position; drops exact duplicates. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...ds].sort((a, b) => a.primary.span.file.localeCompare(b.primary.span.file) || a.primary.span.start - b.primary.span.start)) {
    const key = `${d.code}|${d.primary.span.file}|${d.primary.span.start}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** An error carrying diagnostics, for code paths that must stop (the CLI renders it). */
export class DiagnosticError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    /** The sources the diagnostics point into (for rendering), when known. */
    readonly sources?: ReadonlyMap<string, import('./source').Source>,
  ) {
    super(diagnostics[0]?.message ?? 'error');
  }
}
