import type { Printer } from '../../src/cli/errors';

/** A Printer that records what a command writes. */
export function captureIo(): Printer & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    color: false,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    text: () => [...stdout, ...stderr].join('\n'),
  };
}

/** Prints measured numbers when VAE_TEST_VERBOSE is set (for reports); silent otherwise. */
export function note(...parts: unknown[]): void {
  if (process.env['VAE_TEST_VERBOSE']) console.log(...parts);
}
