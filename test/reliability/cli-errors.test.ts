/**
 * Errors the user causes at the command line are diagnostics with a code and a hint, never
 * "internal error": commander's own parse errors, file-system failures (errno errors of any
 * node:fs call), running out of memory, and flag values that are read before any work.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCliError, resourceError, systemError } from '../../src/cli/errors';
import { main } from '../../src/cli/main';
import { captureIo } from '../helpers/io';

async function run(args: string[]): Promise<{ code: number; text: string; stdout: string[] }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, text: io.text(), stdout: io.stdout };
}

describe("commander's parse errors", () => {
  const cases: [string[], RegExp, RegExp][] = [
    [['check'], /error\[VAE704\]: missing required argument 'file'/, /hint: for example: vae check models\/vae\.vae; see vae check --help/],
    [['train', 'models/vae.vae', '--bogus'], /unknown option '--bogus'/, /hint: vae train --help lists the options of train/],
    [['train', 'models/vae.vae', '--epoch', '3'], /unknown option '--epoch' \(Did you mean --epochs\?\)/, /hint:/],
    [['chek', 'models/vae.vae'], /unknown command 'chek' \(Did you mean check\?\)/, /hint: the commands are check, train, eval/],
    [['train', 'models/vae.vae', '--epochs'], /option '--epochs <n>' argument missing/, /hint: give the flag a value/],
    [['check', 'models/vae.vae', 'extra'], /too many arguments for 'check'/, /hint: flags start with --/],
  ];
  for (const [args, message, hint] of cases) {
    it(`vae ${args.join(' ')}`, async () => {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.text).toMatch(message);
      expect(r.text).toMatch(hint);
      expect(r.text).not.toMatch(/internal error|^error: /m);
    });
  }

  it('help still prints and exits 0', async () => {
    const r = await run(['train', '--help']);
    expect(r.code).toBe(0);
    expect(r.text).toContain('Usage: vae train');
  });
});

describe('file-system failures are VAE705 (or VAE701), with the path and the reason', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-fs-'));
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');

  const cases: [string, () => void, RegExp][] = [
    ['a directory under a file (ENOTDIR)', () => fs.mkdirSync(path.join(file, 'run'), { recursive: true }), /^error\[VAE705\]: cannot create the directory '.*a-file\/run': part of the path is a file, not a directory/],
    ['a directory onto a file (EEXIST)', () => fs.mkdirSync(file), /^error\[VAE705\]: cannot create the directory '.*a-file': it already exists/],
    ['reading a missing file (ENOENT)', () => fs.readFileSync(path.join(tmp, 'nope')), /^error\[VAE701\]: cannot open '.*nope': no such file or directory/],
    ['writing into a directory (EISDIR)', () => fs.writeFileSync(tmp, 'x'), /^error\[VAE705\]: cannot open '.*': it is a directory/],
  ];
  for (const [what, act, expected] of cases) {
    it(what, () => {
      let err: unknown;
      try {
        act();
      } catch (e) {
        err = e;
      }
      expect(systemError(err)).toBeDefined();
      const text = formatCliError(err);
      expect(text).toMatch(expected);
      expect(text).toContain('hint:');
      expect(text).not.toContain('internal error');
    });
  }

  it('errno codes root cannot provoke (EACCES, EROFS, ENOSPC) read the same', () => {
    for (const [code, reason] of [['EACCES', 'permission denied'], ['EROFS', 'the file system is read-only'], ['ENOSPC', 'no space left on the device']] as const) {
      const e = Object.assign(new Error(`${code}: x`), { code, syscall: 'open', path: '/runs/a/metrics.jsonl' });
      expect(formatCliError(e)).toBe(`error[VAE705]: cannot open '/runs/a/metrics.jsonl': ${reason}\n  = hint: ${code === 'ENOSPC' ? 'free some disk space, or choose another location' : code === 'EROFS' ? 'choose a writable location' : 'check the permissions, or choose a location you can write to'}`);
    }
  });

  it('other errors are not mistaken for file-system failures', () => {
    expect(systemError(new TypeError('x is not a function'))).toBeUndefined();
    expect(systemError(Object.assign(new Error('x'), { code: 'VAE702' }))).toBeUndefined();
    expect(formatCliError(new TypeError('x is not a function'))).toMatch(/^internal error: x is not a function/);
  });
});

describe('running out of memory is VAE904', () => {
  it('typed arrays, buffers and wasm aborts', () => {
    for (const msg of ['Invalid typed array length: 4000000000', 'Array buffer allocation failed', 'Aborted(OOM)', 'Aborted(). Build with -sASSERTIONS for more info.']) {
      expect(resourceError(new RangeError(msg))?.code).toBe('VAE904');
    }
    let real: unknown;
    try {
      new Float32Array(2 ** 40);
    } catch (e) {
      real = e;
    }
    expect(formatCliError(real)).toMatch(/^error\[VAE904\]: out of memory.*\n  = hint: use a smaller --batch/);
    expect(resourceError(new RangeError('Maximum call stack size exceeded'))).toBeUndefined();
  });
});

describe('flag values are read before any work', () => {
  it('vae eval --mi-samples 0 fails before printing results', async () => {
    const r = await run(['eval', 'runs/does-not-matter', '--mi-samples', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.text).toContain("invalid --mi-samples '0'");
  });

  it('a resumed run refuses flags that would change it', async () => {
    for (const flag of [['--batch', '10'], ['--seed', '3'], ['--limit', '100'], ['--valid', '0'], ['--out', 'elsewhere']]) {
      const r = await run(['train', '--resume', 'runs/whatever', ...flag]);
      expect(r.code).toBe(1);
      expect(r.text).toContain(`${flag[0]} cannot change a resumed run`);
    }
  });
});

describe('resuming a finished run', () => {
  it('--resume --epochs 1 on a 2-epoch run says there is nothing to do', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vae-done-')), 'run');
    // toy-gaussian has no data: one step per epoch.
    expect((await run(['train', 'models/toy-gaussian.vae', '--steps', '2', '--out', out, '--json'])).code).toBe(0);
    for (const [flag, asks] of [[['--epochs', '1'], '--epochs 1 asks'], [['--steps', '2'], '--steps 2 asks'], [[], 'its configuration (2 steps) asks']] as const) {
      const r = await run(['train', '--resume', out, ...flag]);
      expect(r.code).toBe(1);
      expect(r.text).toContain(`error[VAE704]: nothing to do: the run has already trained 2 epochs (2 steps); ${asks} for no more`);
      expect(r.text).toContain('hint: --epochs and --steps count from the start of the run: ask for more, e.g. --epochs 3');
    }
  });
});
