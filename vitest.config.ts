import { defineConfig } from 'vitest/config';

// VITEST_JSON=path adds vitest's JSON reporter (used by .ci/run to count the results).
const json = process.env['VITEST_JSON'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: json ? ['default', ['json', { outputFile: json }]] : ['default'],
  },
});
