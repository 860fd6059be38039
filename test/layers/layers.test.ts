// The layer rules of .dependency-cruiser.cjs (no import cycles; core imports nothing from the
// project; the checker never loads tfjs; only the CLI imports the CLI or draws on a terminal),
// checked over src/ with dependency-cruiser, plus a source scan for terminal output that an
// import graph cannot see (process.stdout, console, ANSI escapes).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as {
  forbidden: { name: string }[];
  options: Record<string, unknown>;
};

/**
 * Violations that exist today and are being removed, as `rule: from`. Each must still occur
 * (a stale entry fails the test), so the list only shrinks.
 */
const KNOWN: readonly string[] = [];

let violations: IViolation[] = [];
/** Source modules the cruise saw, and the packages they import (a resolution problem shows as none). */
let modules = 0;
let packages: string[] = [];

beforeAll(async () => {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const r = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as never, undefined, { tsConfig: extractTSConfig(path.join(root, 'tsconfig.json')) });
    const out = r.output as ICruiseResult;
    violations = out.summary.violations;
    modules = out.modules.filter((m) => m.source.startsWith('src/')).length;
    packages = [...new Set(out.modules.flatMap((m) => m.dependencies.map((d) => d.module)).filter((n) => !n.startsWith('.')))];
  } finally {
    process.chdir(cwd);
  }
}, 120_000);

function describeViolation(v: IViolation): string {
  const chain = v.cycle ?? v.via;
  return `${v.rule.name}: ${v.from} -> ${v.to}${chain ? ` (via ${chain.map((c) => c.name).join(' -> ')})` : ''}`;
}

describe('layer rules', () => {
  it('has a rule for each layer boundary', () => {
    expect(config.forbidden.map((r) => r.name)).toEqual(expect.arrayContaining(['no-circular', 'core-is-a-leaf', 'checker-without-tensors', 'planning-without-tensors', 'language-entry-does-not-plan', 'only-the-cli-imports-the-cli', 'only-the-cli-draws-progress']));
  });

  for (const rule of config.forbidden) {
    it(`holds: ${rule.name}`, () => {
      const found = violations.filter((v) => v.rule.name === rule.name);
      const unexpected = found.filter((v) => !KNOWN.includes(`${v.rule.name}: ${v.from}`));
      expect(unexpected.map(describeViolation)).toEqual([]);
    });
  }

  it('lists no known violation that is gone', () => {
    const seen = new Set(violations.map((v) => `${v.rule.name}: ${v.from}`));
    expect(KNOWN.filter((k) => !seen.has(k))).toEqual([]);
  });

  it('sees the whole source tree (the cruise resolved the project)', () => {
    expect(modules).toBeGreaterThan(100);
    expect(packages).toEqual(expect.arrayContaining(['@tensorflow/tfjs', 'cli-progress', 'chevrotain']));
  });
});

/** Terminal output outside src/cli: writes to stdout/stderr, console, TTY checks, ANSI escapes. */
const TERMINAL = /process\.(stdout|stderr)|\bconsole\.(log|error|warn|info)\(|\.isTTY\b|\\x1b\[|\\u001b\[/;

/** Files outside src/cli that still talk to a terminal (being moved behind callbacks). */
const KNOWN_TERMINAL: readonly string[] = [
  'src/compare/run.ts', // the IWAE progress line
  'src/dsl/render-diagnostic.ts', // ANSI colours of rendered diagnostics
  'src/wasm-threads/index.ts', // the wasm module's print hooks
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('only the CLI renders to a terminal', () => {
  const files = sourceFiles(path.join(root, 'src'))
    .map((f) => path.relative(root, f))
    .filter((f) => !f.startsWith('src/cli/'));
  const offenders = files.filter((f) => {
    const code = fs.readFileSync(path.join(root, f), 'utf8').replace(/^\s*(\*|\/\/|\/\*).*$/gm, '');
    return TERMINAL.test(code);
  });

  it('no other layer writes to stdout/stderr, checks for a TTY or writes ANSI escapes', () => {
    expect(offenders.filter((f) => !KNOWN_TERMINAL.includes(f))).toEqual([]);
  });

  it('lists no known offender that is gone', () => {
    expect(KNOWN_TERMINAL.filter((f) => !offenders.includes(f))).toEqual([]);
  });
});

describe('checking loads no tensors (at run time, not just in the import graph)', () => {
  it('src/check.ts (load, check and plan) and `vae check` leave tfjs unloaded; the runtime loads it', () => {
    // One fresh Node: the tfjs files in the module cache after each step.
    const probe = [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "const tfjs = () => Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length;",
      'const counts = [];',
      "const api = await import('./src/check.ts');",
      "if (!api.checkFile('models/vae.vae').checked) throw new Error('models/vae.vae did not check');",
      'counts.push(tfjs());',
      "const cli = await import('./src/cli/main.ts');",
      'const out = [];',
      "const code = await cli.main(['check', 'models/vae.vae'], { out: (s) => out.push(s), err: (s) => out.push(s), color: false });",
      "if (code !== 0 || !out.join('\\n').includes('estimator plan')) throw new Error(out.join('\\n'));",
      'counts.push(tfjs());',
      "await import('./src/distributions/registry.ts');",
      'counts.push(tfjs());',
      'console.log(JSON.stringify(counts));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' });
    const [check, cli, runtime] = JSON.parse(out.trim()) as number[];
    expect(check).toBe(0);
    expect(cli).toBe(0);
    expect(runtime).toBeGreaterThan(0); // the probe sees tfjs when it is there
  }, 120_000);
});

describe('no global engine state outside src/engine', () => {
  const files = sourceFiles(path.join(root, 'src')).map((f) => path.relative(root, f));
  const code = (f: string) => fs.readFileSync(path.join(root, f), 'utf8').replace(/^\s*(\*|\/\/|\/\*).*$/gm, '');
  const offenders = (re: RegExp, allowed: (f: string) => boolean = () => false) => files.filter((f) => !allowed(f) && re.test(code(f)));

  it("reads tfjs's engine fields only in src/engine/tfjs-internals.ts", () => {
    expect(offenders(/registeredVariables|registryFactory|pendingBackendInit|engine\(\)\.registry\b/, (f) => f === 'src/engine/tfjs-internals.ts')).toEqual([]);
  });

  it('keeps no module-level counter (tfjs names variables uniquely; objects own their state)', () => {
    expect(offenders(/^let \w*[cC]ounter\b/m)).toEqual([]);
  });

  it("never replaces the gradient of one of tfjs's own kernels (vaelang's kernels have names of their own)", () => {
    expect(offenders(/registerGradient\(\{\s*kernelName:\s*'(?!Vae|Vk)/)).toEqual([]);
  });
});
