'use strict';
/*
 * Entry script of the emscripten pthread workers of tfjs-backend-wasm's threaded SIMD build, for
 * Node's worker_threads (src/wasm-threads/index.ts passes this file's path as the `.worker.js`
 * location; tfjs itself passes a `blob:` URL, which Node's Worker does not accept).
 *
 * The first message emscripten posts is `{cmd: 'load', urlOrBlob: <path of the glue>, ...}`;
 * `urlOrBlob` is a plain path because index.ts sets `mainScriptUrlOrBlob` to it. Next to the glue
 * lies `…-threaded-simd.worker.js`, which exports emscripten's worker source as a string
 * (`wasmWorkerContents`). That source expects a classic script with `require` and `__filename`
 * in scope, so it is evaluated at global scope (indirect eval) after providing both there; its
 * `\n` escapes were turned into real newlines by the template literal that holds it and are
 * escaped again, as tfjs-backend-wasm's own `locateFile` does. Then the first message is handed
 * to the `onmessage` handler the source installed; later messages reach it through the
 * `parentPort` listener it adds.
 *
 * VAE_WASM_THREADS_TRACE=1 logs every command a worker receives to stderr (`run` means that the
 * worker was given a pthread, i.e. an XNNPACK pool thread).
 */
const { parentPort, threadId } = require('node:worker_threads');
const fs = require('node:fs');

const trace = process.env.VAE_WASM_THREADS_TRACE === '1';
if (trace) {
  parentPort.on('message', (m) => {
    if (m && typeof m.cmd === 'string') fs.writeSync(2, `[wasm-threads worker ${threadId}] ${m.cmd}\n`);
  });
}

parentPort.once('message', (first) => {
  const glue = first && first.cmd === 'load' ? first.urlOrBlob : undefined;
  if (typeof glue !== 'string' || !glue.endsWith('.js')) {
    throw new Error('wasm-threads worker: expected a first {cmd: "load"} message carrying the glue path');
  }
  const { wasmWorkerContents } = require(glue.replace(/\.js$/, '.worker.js'));
  globalThis.require = require;
  globalThis.__filename = glue;
  (0, eval)(String(wasmWorkerContents).replace(/\n/g, '\\n'));
  globalThis.onmessage({ data: first });
});
