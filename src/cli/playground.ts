/**
 * `vae playground [--port N]`: builds the playground's page (src/playground) and serves it on
 * localhost until Ctrl-C. The page runs the same checker, compiler and engine as the CLI, in
 * the browser (training in a Web Worker on WebGPU, WebGL or WebAssembly).
 */
import { UserError } from '../core/errors';
import type { Printer } from './errors';

export interface PlaygroundFlags {
  port?: string;
  host?: string;
}

export function parsePort(v: string | undefined): number {
  if (v === undefined) return 8080;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n > 65535) throw new UserError(`invalid --port '${v}'`, 'give a port number from 1 to 65535 (0 picks any free port)');
  return n;
}

export async function runPlaygroundCommand(flags: PlaygroundFlags, io: Printer, opts: { untilClosed?: boolean } = {}): Promise<number> {
  const port = parsePort(flags.port);
  const { playgroundBundles } = await import('../playground/build');
  const { startServer } = await import('../playground/server');
  const t0 = performance.now();
  // Listen first: a port in use is reported at once, before the page is built.
  const bundles = new Map<string, Uint8Array>();
  const server = await startServer(bundles, { port, ...(flags.host ? { host: flags.host } : {}) });
  let built;
  try {
    built = await playgroundBundles();
  } catch (e) {
    await server.close();
    throw e;
  }
  for (const [k, v] of built.bundles) bundles.set(k, v);
  if (!built.cached) io.err(`built the page in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  io.out(`vaelang playground: ${server.url}`);
  io.err('press Ctrl-C to stop');
  if (opts.untilClosed === false) {
    await server.close();
    return 0;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      void server.close().then(resolve);
      // Open keep-alive connections would hold close() back; the process is ending anyway.
      setTimeout(resolve, 500).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
