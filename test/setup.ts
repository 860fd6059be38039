// Pins the tfjs backend for the whole suite (wasm unless VAE_BACKEND says otherwise) and
// exposes the base seed of the statistical tests. A failing statistical test prints its seed.
import { beforeAll } from 'vitest';
import { initBackend } from '../src/backend';


beforeAll(async () => {
  await initBackend(process.env['VAE_BACKEND'] ?? 'wasm');
});
