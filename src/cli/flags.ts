/** Parsers for CLI flag values, with one-line errors that say what was expected. */
import { parseObjectiveText, type Objective } from '../dsl/objectives';
import { CliError } from './errors';

/** `--estimator y=score` (repeatable, or comma-separated) -> Map(site -> kind). */
export function parseEstimatorFlags(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values.flatMap((x) => x.split(','))) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z_]+)\s*$/.exec(v);
    if (!m) throw new CliError(`invalid --estimator '${v}'`, 'write --estimator site=kind, e.g. --estimator y=score');
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** `--objective elbo | iwae | iwae:5 | iwae(k: 5)`. */
export function parseObjectiveFlag(v: string): Objective {
  const r = parseObjectiveText(v);
  if (r?.ok) return r.value;
  throw new CliError(`invalid --objective '${v}'`, 'use elbo, iwae or iwae:K (e.g. iwae:5)');
}

export function parsePositiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`invalid ${flag} '${v}'`, `${flag} takes a positive integer`);
  return n;
}

export function parsePositiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`invalid ${flag} '${v}'`, `${flag} takes a positive number`);
  return n;
}

export function parseNonNegInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`invalid ${flag} '${v}'`, `${flag} takes a non-negative integer`);
  return n;
}

/** Commander's collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
