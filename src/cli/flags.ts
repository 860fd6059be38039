/** Parsers for CLI flag values, with one-line errors that say what was expected. */
import { parseObjectiveText, type Objective } from '../dsl/objectives';
import { renderProblem, type FileProblem } from '../dsl/problems/index';
import { CliError } from './errors';

/** A bad flag value (VAE704), rendered from its data. */
function flagError(data: FileProblem): CliError {
  const r = renderProblem(data);
  return new CliError(r.message, r.hint, 'VAE704', data);
}

/** `--estimator y=score` (repeatable, or comma-separated) -> Map(site -> kind). */
export function parseEstimatorFlags(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values.flatMap((x) => x.split(','))) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z_]+)\s*$/.exec(v);
    if (!m) throw flagError({ kind: 'bad-estimator-flag', found: v });
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** `--objective elbo | iwae | iwae:5 | iwae(k: 5)`. */
export function parseObjectiveFlag(v: string): Objective {
  const r = parseObjectiveText(v);
  if (r?.ok) return r.value;
  throw flagError({ kind: 'bad-objective-flag', found: v });
}

export function parsePositiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw flagError({ kind: 'bad-flag-number', flag, found: v, expected: 'positive integer' });
  return n;
}

export function parsePositiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw flagError({ kind: 'bad-flag-number', flag, found: v, expected: 'positive number' });
  return n;
}

export function parseNonNegInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw flagError({ kind: 'bad-flag-number', flag, found: v, expected: 'non-negative integer' });
  return n;
}

/** Commander's collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
