/**
 * `node:fs` in the playground's browser bundles. The language loader reads files through
 * `readFile` options the playground always passes (the editor's text and the zoo models), so
 * these are never reached; if one is, it fails like a missing file, which the loader reports
 * as a diagnostic (VAE605 / VAE701) instead of breaking the page.
 */
function missing(p: unknown): never {
  throw Object.assign(new Error(`ENOENT: no file system in the browser: '${String(p)}'`), { code: 'ENOENT' });
}
export const readFileSync = missing;
export const existsSync = (): boolean => false;
export const statSync = missing;
export default { readFileSync, existsSync, statSync };
