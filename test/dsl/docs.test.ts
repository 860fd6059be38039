/**
 * docs/language.md follows the code: it fails when the reference misses a diagnostic code, a
 * distribution family, a built-in, a train setting, a net body, an activation, a value kind, an
 * estimator annotation, or a grammar rule of the parser (and when the EBNF names a rule the
 * parser does not have).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VALUE_KINDS } from '../../src/distributions/constraints';
import { FAMILIES as DISTRIBUTIONS } from '../../src/distributions/schemas/index';
import { BUILTINS } from '../../src/dsl/builtins';
import { ESTIMATOR_ANNOTATIONS } from '../../src/dsl/check-blocks';
import { RULES } from '../../src/inference/estimators/index';
import { trainSettingDocs } from '../../src/dsl/check-train';
import { CODES } from '../../src/dsl/diagnostics';
import { checkText } from '../../src/check';
import { ACTIVATIONS, NET_BODIES } from '../../src/dsl/net-bodies';
import { vaeParser } from '../../src/dsl/parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = fs.readFileSync(path.join(root, 'docs/language.md'), 'utf8');

/** The lines of the table whose header row starts with `| first |`. */
function tableAfter(first: string): string[] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) out.push(lines[i]!);
  return out;
}

function missing(names: Iterable<string>, present: (n: string) => boolean): string[] {
  return [...names].filter((n) => !present(n));
}

describe('docs/language.md', () => {
  it('lists every diagnostic code with its title', () => {
    const rows = tableAfter('Code');
    expect(missing(Object.keys(CODES), (c) => rows.some((r) => r.startsWith(`| ${c} | ${CODES[c as keyof typeof CODES].title} |`)))).toEqual([]);
    expect(rows).toHaveLength(Object.keys(CODES).length);
  });

  it('quotes example messages that the checker really prints (from the golden files)', () => {
    const dir = path.join(root, 'test/golden/diagnostics');
    const golden = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const rows = tableAfter('Code').filter((r) => CODES[r.split('|')[1]!.trim() as keyof typeof CODES]?.phase === 'check');
    const notFound = rows.filter((r) => {
      const ex = /`` (.*) ``/.exec(r)?.[1];
      return ex === undefined || !golden.includes(`]: ${ex}`);
    });
    expect(notFound).toEqual([]);
  });

  it('lists every distribution family in the table, with its support', () => {
    const rows = tableAfter('Family');
    expect(missing(DISTRIBUTIONS.keys(), (n) => rows.some((r) => r.startsWith(`| \`${n}\` |`) && r.includes(`| ${DISTRIBUTIONS.get(n)!.support} |`)))).toEqual([]);
    expect(rows).toHaveLength(DISTRIBUTIONS.size);
  });

  it('lists every built-in with its signature', () => {
    const rows = tableAfter('Function');
    expect(missing(BUILTINS.keys(), (n) => rows.some((r) => r.startsWith(`| \`${BUILTINS.get(n)!.signature}\` |`)))).toEqual([]);
    expect(rows).toHaveLength(BUILTINS.size);
  });

  it('lists every train setting', () => {
    const rows = tableAfter('Setting');
    expect(missing(trainSettingDocs().map((s) => s.key), (k) => rows.some((r) => r.startsWith(`| \`${k}\` |`)))).toEqual([]);
    expect(rows).toHaveLength(trainSettingDocs().length);
  });

  it('names every net body, activation, value kind and estimator annotation', () => {
    expect(missing(NET_BODIES.keys(), (n) => doc.includes(`\`${n}(`))).toEqual([]);
    expect(missing(ACTIVATIONS, (a) => doc.includes(`\`${a}\``))).toEqual([]);
    expect(missing(VALUE_KINDS, (k) => tableAfter('Kind').some((r) => r.startsWith(`| \`${k}\` |`)))).toEqual([]);
    expect(missing(ESTIMATOR_ANNOTATIONS, (a) => tableAfter('Annotation').some((r) => r.startsWith(`| \`@${a}\` |`)))).toEqual([]);
  });

  it('lists every estimator rule as the registry states it (title, reference, static conditions)', () => {
    const rows = tableAfter('Annotation');
    expect(rows).toEqual(RULES.map((r) => `| \`@${r.name}\` | ${r.title} | ${r.reference} | ${r.conditions} |`));
    expect(RULES.map((r) => r.name)).toEqual(ESTIMATOR_ANNOTATIONS);
  });

  it('has one EBNF rule per parser rule, and no others', () => {
    const ebnf = /```ebnf\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const documented = [...ebnf.matchAll(/^([a-zA-Z]+)\s+=/gm)].map((m) => m[1]!);
    const rules = Object.keys(vaeParser.getGAstProductions());
    expect([...documented].sort()).toEqual([...rules].sort());
  });

  it('its complete example programs check clean', () => {
    const blocks = [...doc.matchAll(/```vae\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const complete = blocks.filter((b) => /^extends /m.test(b) || (/^data /m.test(b) && /^model \{/m.test(b)));
    expect(complete.length).toBeGreaterThanOrEqual(3);
    for (const b of complete) {
      const r = checkText(b, 'models/example.vae', { readFile: (p) => fs.readFileSync(path.join(root, p.replace(/^\/+/, '')), 'utf8') });
      expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`), b).toEqual([]);
    }
  });

  it('shows the shipped models it quotes as they are', () => {
    const vae = fs.readFileSync(path.join(root, 'models/vae.vae'), 'utf8');
    const body = vae.slice(vae.indexOf('data x'));
    expect(doc.replace(/\r/g, '')).toContain(body.trim());
  });
});
