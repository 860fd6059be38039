/** The base seed of statistical tests; override with VAE_TEST_SEED to re-run with another. */
export const TEST_SEED = Number(process.env['VAE_TEST_SEED'] ?? 20240611);
