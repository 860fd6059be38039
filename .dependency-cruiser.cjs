/**
 * The layer rules of src/, checked by test/layers.test.ts (and `npx depcruise src`).
 *
 * Layers, bottom up: core (RNG, errors as data, atomic files: imports nothing from the project)
 * -> distribution schemas and the checker (src/dsl: no tensors) -> the runtime (distributions,
 * flows, inference, engine) -> services (train, eval, sample, estimators, compare, data, figures,
 * metrics)
 * -> the API (src/program.ts, src/checking.ts, src/browser.ts; in Node src/api.ts, src/check.ts,
 * src/index.ts) -> the face (src/cli, the only layer that renders to a terminal). Everything the
 * browser entry reaches is free of Node built-ins.
 *
 * To add a rule: append an object to `forbidden` (name, comment, from, to). Paths are regular
 * expressions over repository-relative paths; `reachable: true` in `to` follows imports
 * transitively. Type-only imports count: a layer that must not load a package must not even
 * name its types, so that moving code never pulls it in by accident.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and layers impossible to tell apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      comment: 'src/core holds what every layer needs; it imports nothing from the project.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'checker-without-tensors',
      severity: 'error',
      comment: 'The checker (src/dsl) never loads tfjs, directly or through other modules: checking is instant and runs in an editor.',
      from: { path: '^src/dsl/' },
      to: { path: '@tensorflow/', reachable: true },
    },
    {
      name: 'planning-without-tensors',
      severity: 'error',
      comment: 'Checking and planning (src/check.ts, inference/plan.ts) load no tfjs either: `vae check` stays instant.',
      from: { path: '^src/(check|inference/plan)[.]ts$' },
      to: { path: '@tensorflow/', reachable: true },
    },
    {
      name: 'language-entry-does-not-plan',
      severity: 'error',
      comment: 'The checker reads only core, the distribution schemas and the estimator rules (their names); planning and running are called from the API (src/check.ts), never from the language entry.',
      from: { path: '^src/dsl/' },
      to: { path: '^src/', pathNot: '^src/(dsl|core|distributions|inference/estimators)/' },
    },
    {
      name: 'estimator-rules-without-tensors',
      severity: 'error',
      comment: 'The estimator rules (src/inference/estimators) are read by the checker and the planner: data and static predicates, no tfjs, directly or through other modules.',
      from: { path: '^src/inference/estimators/' },
      to: { path: '@tensorflow/', reachable: true },
    },
    {
      name: 'estimator-rules-read-only-the-checker',
      severity: 'error',
      comment: 'The estimator rules read the checked program, the distribution schemas and core, nothing of the runtime.',
      from: { path: '^src/inference/estimators/' },
      to: { path: '^src/', pathNot: '^src/(dsl|core|distributions|inference/estimators)/' },
    },
    {
      name: 'only-the-cli-imports-the-cli',
      severity: 'error',
      comment: 'The CLI is the top layer: nothing below it imports it (errors live in src/core/errors.ts).',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-the-cli-draws-progress',
      severity: 'error',
      comment: 'Only the CLI renders to a terminal; other layers report progress through callbacks.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: 'node_modules/cli-progress/' },
    },
    {
      name: 'browser-figures-without-node',
      severity: 'error',
      comment: 'The figure specs, image grids and metrics records (src/figures outside node/, src/metrics/records.ts and csv.ts) run in the browser playground too: no Node built-in, directly.',
      from: { path: '^src/(figures/(?!node/)|metrics/(records|csv)\\.ts$)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-figures-do-not-render-in-node',
      severity: 'error',
      comment: "The browser side of the figures never reaches the Node renderer (vega headless + resvg + the TTF) or the file layer, even through other modules.",
      from: { path: '^src/(figures/(?!node/)|metrics/(records|csv)\\.ts$)' },
      to: { path: '^src/(figures/node/|metrics/file\\.ts|core/atomic-file\\.ts)|node_modules/(pngjs|@resvg)/', reachable: true },
    },
    {
      name: 'browser-entry-without-node',
      severity: 'error',
      comment: "The browser entry (src/browser.ts: language, checker, planner, compiler, objectives, training loop, in-memory data, chart specs) reaches no Node built-in and no Node-only package, even through other modules (type-only imports count): files, checkpoints on disk, workers, downloads and PNG files live behind the Node entry (src/index.ts).",
      from: { path: '^src/browser[.]ts$' },
      to: { path: '^(node:.*|fs|fs/promises|path|url|os|module|crypto|zlib|worker_threads|child_process|v8|stream|util|events|readline|http|https|net|tty)$|node_modules/(pngjs|cli-progress|@resvg|tsx|commander)/', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
