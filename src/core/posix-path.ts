/**
 * The few path operations the language loader needs (resolving `extends "../base.vae"` and
 * display paths), on '/'-separated paths, so that loading works without Node's `path` (in a
 * browser, files live in memory under '/'). Same results as node:path's posix functions for
 * the paths the loader builds.
 *
 * @example resolve('/a/b', '../c.vae') // '/a/c.vae'
 */

function normalizeParts(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out;
}

/** An absolute path from `base` (absolute) and `p` (absolute or relative). */
export function resolve(base: string, p: string): string {
  const joined = p.startsWith('/') ? p : `${base}/${p}`;
  return `/${normalizeParts(joined.split('/')).join('/')}`;
}

/** The directory of an absolute path ('/' for a file at the root). */
export function dirname(p: string): string {
  const parts = normalizeParts(p.split('/'));
  return `/${parts.slice(0, -1).join('/')}`;
}

/** The last part of a path. */
export function basename(p: string): string {
  const parts = normalizeParts(p.split('/'));
  return parts[parts.length - 1] ?? '';
}

/** The relative path from `from` to `to` (both absolute); '' when they are the same. */
export function relative(from: string, to: string): string {
  const a = normalizeParts(from.split('/'));
  const b = normalizeParts(to.split('/'));
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
