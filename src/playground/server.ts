/**
 * The playground's local web server (node:http, no framework): the page, its two bundles
 * (built in memory by build.ts), the zoo models, the bundled binarized MNIST, and the .wasm
 * files of tfjs's wasm backend and of vaelang's kernels. Read-only: nothing on disk is written.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors';
import type { Bundles } from './build';
import { PAGE } from './page';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.gz': 'application/octet-stream',
  '.vae': 'text/plain; charset=utf-8',
};

/** The directories files are served from, by URL prefix (only plain names inside them, first match wins). */
function staticDirs(): [string, string][] {
  const tfjsWasm = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return [
    // The browser backend's `assets`: tfjs's wasm binaries and vaelang's kernels side by side.
    ['/wasm/', tfjsWasm],
    ['/wasm/', path.join(root, 'src/kernels/wasm')],
    ['/data/binarized-mnist/', path.join(root, 'data/binarized-mnist')],
  ];
}

/** Every model of models/ by file name, for the Examples menu and `extends`. */
export function zooModels(dir = path.join(root, 'models')): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.vae')).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

export interface PlaygroundServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(bundles: Bundles, opts: { port: number; host?: string }): Promise<PlaygroundServer> {
  const dirs = staticDirs();
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: Uint8Array | string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') return send(200, TYPES['.html']!, PAGE);
      if (url.pathname === '/models.json') return send(200, TYPES['.json']!, JSON.stringify(zooModels()));
      const bundle = bundles.get(url.pathname);
      if (bundle) return send(200, TYPES[path.extname(url.pathname)] ?? 'application/octet-stream', bundle);
      for (const [prefix, dir] of dirs) {
        if (!url.pathname.startsWith(prefix)) continue;
        const name = url.pathname.slice(prefix.length);
        if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) break;
        const file = path.join(dir, name);
        if (!fs.existsSync(file)) continue;
        return send(200, TYPES[path.extname(name)] ?? 'application/octet-stream', fs.readFileSync(file));
      }
      send(404, 'text/plain', 'not found');
    } catch (e) {
      send(500, 'text/plain', String(e));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UserError(`port ${opts.port} is already in use`, `choose another port with --port N (or --port 0 for any free port)`, 'VAE704'));
      else if (e.code === 'EACCES') reject(new UserError(`port ${opts.port} needs more privileges than this user has`, 'choose a port above 1023 with --port N', 'VAE704'));
      else reject(e);
    });
    server.listen(opts.port, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
    port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
