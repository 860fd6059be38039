/**
 * Files that ship with the package (data/, assets/, src/kernels/wasm/), found from the package
 * root (Node only). The root is the nearest folder above this module that has a package.json,
 * so the same code finds them from the sources (src/core/) and from the build (dist/).
 *
 * @example packageFile('assets/fonts/DejaVuSans.ttf') // '/…/vaelang/assets/fonts/DejaVuSans.ttf'
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (the nearest folder above this module with a package.json). */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** The absolute path of a file shipped with the package, by its path from the package root. */
export function packageFile(rel: string): string {
  return path.join(packageRoot(), rel);
}
