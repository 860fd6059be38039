// The playground's server and command, without a browser: the port in use is one clear
// message and exit 1 (before any build), a bad --port too; the server serves the zoo, the
// bundled data and the wasm files, and nothing outside them; the page's checker resolves
// `extends` against the zoo and reports a missing one as a diagnostic.
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { checkProgram } from '../../src/playground/check';
import { startServer, zooModels, type PlaygroundServer } from '../../src/playground/server';
import { captureIo } from '../helpers/io';

let server: PlaygroundServer;
beforeAll(async () => {
  server = await startServer(new Map([['/app.js', new TextEncoder().encode('// app')]]), { port: 0 });
});
afterAll(async () => {
  await server.close();
});

const get = async (p: string) => {
  const r = await fetch(new URL(p, server.url));
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: new Uint8Array(await r.arrayBuffer()) };
};

describe('vae playground', () => {
  it('a port in use: one message with a hint, exit 1', async () => {
    const io = captureIo();
    const code = await main(['playground', '--port', String(server.port)], io);
    expect(code).toBe(1);
    expect(io.text()).toContain(`error[VAE704]: port ${server.port} is already in use`);
    expect(io.text()).toContain('hint: choose another port with --port N');
    expect(io.text()).not.toMatch(/\n\s+at |internal error/);
  });

  it('a bad --port value', async () => {
    const io = captureIo();
    expect(await main(['playground', '--port', 'eighty'], io)).toBe(1);
    expect(io.text()).toContain("error[VAE704]: invalid --port 'eighty'");
  });

  it('serves the page, the bundles, the zoo, the data and the wasm files; nothing else', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(new TextDecoder().decode(page.body)).toContain('<script type="module" src="/app.js">');
    expect((await get('/app.js')).type).toMatch(/javascript/);
    const zoo = JSON.parse(new TextDecoder().decode((await get('/models.json')).body)) as Record<string, string>;
    expect(Object.keys(zoo)).toEqual(Object.keys(zooModels()));
    expect(zoo['vae.vae']).toContain('model {');
    const data = await get('/data/binarized-mnist/test-images-idx3-ubyte.gz');
    expect([data.body[0], data.body[1]]).toEqual([0x1f, 0x8b]);
    const wasm = await get('/wasm/tfjs-backend-wasm-simd.wasm');
    expect(wasm.type).toBe('application/wasm');
    expect(Array.from(wasm.body.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    expect((await get('/wasm/vk-simd.wasm')).status).toBe(200);
    // No way out of the served directories (the raw path, not normalized by a URL parser).
    const raw = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/data/binarized-mnist/..%2f..%2fpackage.json' }, (r) => resolve(r.statusCode ?? 0));
    });
    expect(raw).toBe(404);
    expect((await get('/data/binarized-mnist/../../package.json')).status).toBe(404);
  });

  it("the page's checker reads `extends` from the zoo, and reports a missing file", () => {
    const zoo = zooModels();
    const ok = checkProgram({ name: 'iwae.vae', text: zoo['iwae.vae']!, zoo });
    expect(ok.checked).toBeDefined();
    expect(ok.plan?.objective).toEqual({ kind: 'iwae', k: 5 });
    const bad = checkProgram({ name: 'mine.vae', text: 'extends "nope.vae"\n', zoo });
    expect(bad.checked).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.code)).toContain('VAE605');
  });
});
