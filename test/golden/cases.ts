/** The golden cases: `diagnostics/*.vae` files (not helpers), and the `--set` fragments a case asks for. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'diagnostics');

export function goldenCases(): string[] {
  return fs
    .readdirSync(goldenDir)
    .filter((f) => f.endsWith('.vae') && !f.endsWith('.parent.vae'))
    .sort();
}

/** The fragments of the case's `// --set: FRAGMENT` lines, in order. */
export function caseSets(file: string): string[] {
  return [...fs.readFileSync(path.join(goldenDir, file), 'utf8').matchAll(/^\/\/ --set: (.*)$/gm)].map((m) => m[1]!);
}
