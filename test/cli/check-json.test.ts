// `vae check --json`: docs/cli.md shows the real output, structured `data` included.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check';

describe('vae check --json', () => {
  it('prints what docs/cli.md shows for test/golden/diagnostics/VAE206-unknown-output.vae', () => {
    const file = 'test/golden/diagnostics/VAE206-unknown-output.vae';
    const out: string[] = [];
    const code = runCheck(file, { json: true }, { out: (s) => out.push(s), err: () => {}, color: false });
    expect(code).toBe(1);
    const doc = fs.readFileSync('docs/cli.md', 'utf8');
    const shown = new RegExp(`\`vae check --json ${file}\`\\):\\n\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc)?.[1];
    expect(shown, 'docs/cli.md has the example').toBeDefined();
    expect(out.join('\n')).toBe(shown);
    expect(JSON.parse(shown!).diagnostics[0].data).toEqual({ kind: 'unknown-output', net: 'encoder', found: 'mu', expected: ['loc', 'scale'] });
  });
});
