/**
 * Sequences: `for t in a..b { ... }` unrolled into one copy of its statements per step, before
 * the block is checked. A site written `z[t] ~ ...` becomes the site with address `z[3]` (its
 * identity `z` plus its index, `SiteStmt.step`); a read `z[t - 1]` becomes a read of the site
 * `z[2]`; the loop variable becomes a number known at compile time (`x[t]` is then an ordinary
 * compile-time index of the data); a `let` inside the loop is one binding per step.
 *
 * Everything after this pass (the checker, the dependency graphs, the planner, the compiler, the
 * objectives) sees one site per step, so the conditions of the planner hold step by step: the
 * prior of z[t] reads z[t − 1], and its KL is analytic only when the guide does not draw z[t − 1]
 * from z[t] (src/inference/dependencies.ts). Steps run in program order: a step reads earlier
 * steps only.
 *
 * A loop up to the bound of a sequence axis (`for t in 1..T` with `data x: Real[..T, D]`) marks
 * the steps it writes with that bound (`SiteStep.upTo`): at run time a step t counts for example
 * b only where t < length_b (src/inference/handlers/mask.ts).
 *
 * Diagnostics: a loop bound that is not a whole number known at compile time (VAE308), a step
 * index before 0 or past the last step (VAE334), a read of a step drawn later (VAE208), a site
 * inside a loop without a step index (VAE335).
 */
import type * as A from './ast';
import type { CheckContext } from './check-context';
import type { Span } from './source';

/** The most steps all loops of a block may unroll into together (statements × steps). */
export const MAX_UNROLLED = 20_000;

export interface Unrolled {
  readonly stmts: readonly A.FlatStmt[];
  /** Names written with a step index (`z[t] ~ ...`), with the steps each has, in order. */
  readonly sequences: ReadonlyMap<string, readonly number[]>;
  /** The loops ran past MAX_UNROLLED (VAE107): the statements are cut short, so nothing after the unrolling checks them. */
  readonly truncated?: boolean;
}

interface Subst {
  /** Loop variables and their values at this step. */
  readonly vars: ReadonlyMap<string, number>;
  /** `let` names inside loops, renamed per step. */
  readonly lets: Map<string, string>;
  /** `t = 3`: the steps, for messages. */
  readonly where: string;
  /** The bound T of an enclosing loop `for t in a..T` over a data axis declared `[..T, ...]`. */
  readonly upTo?: string;
}

interface PendingRead {
  readonly address: string;
  readonly base: string;
  readonly index: number;
  readonly expr: A.IndexExpr;
  /** Ordinal of the statement holding the read. */
  readonly at: number;
  readonly where: string;
}

/** The value of a compile-time integer expression (numbers, consts, loop variables, + - * /), or undefined. */
export function constValue(ctx: CheckContext, e: A.Expr, vars: ReadonlyMap<string, number> = new Map()): number | undefined {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'name':
      return vars.get(e.name) ?? ctx.consts.get(e.name)?.value;
    case 'neg': {
      const v = constValue(ctx, e.operand, vars);
      return v === undefined ? undefined : -v;
    }
    case 'binary': {
      const l = constValue(ctx, e.left, vars);
      const r = constValue(ctx, e.right, vars);
      if (l === undefined || r === undefined) return undefined;
      return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r;
    }
    default:
      return undefined;
  }
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

export function unrollBlock(ctx: CheckContext, stmts: readonly A.Stmt[]): Unrolled {
  const sequences = new Map<string, number[]>();
  const collect = (ss: readonly A.Stmt[]): void => {
    for (const s of ss) {
      if (s.kind === 'for') collect(s.body);
      else if (s.kind === 'site' && s.index) sequences.set(s.name.text, []);
    }
  };
  collect(stmts);
  if (sequences.size === 0 && !stmts.some((s) => s.kind === 'for')) return { stmts: stmts as A.FlatStmt[], sequences };

  const raggedBounds = new Set([...ctx.data.values()].flatMap((d) => (d.upTo ? [d.upTo.bound] : [])));
  const out: A.FlatStmt[] = [];
  const defined = new Map<string, number>();
  const reads: PendingRead[] = [];
  const reported: Span[] = [];
  const once = (span: Span, report: () => void): void => {
    if (reported.some((r) => sameSpan(r, span))) return;
    reported.push(span);
    report();
  };
  let budgetReported = false;

  const rewrite = (e: A.Expr, s: Subst): A.Expr => {
    switch (e.kind) {
      case 'name': {
        const v = s.vars.get(e.name);
        if (v !== undefined) return { kind: 'number', value: v, span: e.span, loopVar: e.name };
        const renamed = s.lets.get(e.name);
        return renamed !== undefined ? { ...e, name: renamed } : e;
      }
      case 'neg':
        return { ...e, operand: rewrite(e.operand, s) };
      case 'binary':
        return { ...e, left: rewrite(e.left, s), right: rewrite(e.right, s) };
      case 'field':
        return { ...e, target: rewrite(e.target, s) };
      case 'call':
        return { ...e, callee: rewrite(e.callee, s), args: e.args.map((a) => ({ ...a, value: rewrite(a.value, s) })) };
      case 'list':
        return { ...e, items: e.items.map((i) => rewrite(i, s)) };
      case 'arrow':
        return { ...e, from: rewrite(e.from, s), to: rewrite(e.to, s) };
      case 'index': {
        const index = rewrite(e.index, s);
        if (e.target.kind === 'name' && sequences.has(e.target.name) && !s.vars.has(e.target.name)) {
          const base = e.target.name;
          const i = constValue(ctx, index, s.vars);
          if (i === undefined || !Number.isInteger(i)) {
            once(e.index.span, () =>
              ctx.report('VAE333', { kind: 'step-index-not-integer', site: base, found: i ?? null }, { span: e.index.span }),
            );
            return { kind: 'error', span: e.span };
          }
          if (i < 0) {
            once(e.index.span, () =>
              ctx.report('VAE334', { kind: 'step-read-before-zero', read: `${base}[${formatIndex(e.index)}]`, site: base, step: i, where: s.where }, { span: e.index.span }),
            );
            return { kind: 'error', span: e.span };
          }
          reads.push({ address: `${base}[${i}]`, base, index: i, expr: e, at: out.length, where: s.where });
          return { kind: 'name', name: `${base}[${i}]`, span: e.span };
        }
        return { ...e, target: rewrite(e.target, s), index };
      }
      default:
        return e;
    }
  };

  const expand = (ss: readonly A.Stmt[], s: Subst, inLoop: boolean): void => {
    for (const stmt of ss) {
      if (out.length > MAX_UNROLLED) {
        // Once per program: the guide's loops usually repeat the model's.
        const said = ctx.diagnostics.some((d) => d.data?.kind === 'unrolled-too-large');
        if (!budgetReported && !said) ctx.report('VAE107', { kind: 'unrolled-too-large', limit: MAX_UNROLLED }, { span: stmt.span });
        budgetReported = true;
        return;
      }
      if (stmt.kind === 'for') {
        expandFor(stmt, s);
        continue;
      }
      if (stmt.kind === 'let') {
        const value = rewrite(stmt.value, s);
        if (!inLoop) {
          out.push(value === stmt.value ? stmt : { ...stmt, value });
          continue;
        }
        const name = `${stmt.name.text}[${s.where}]`;
        s.lets.set(stmt.name.text, name);
        out.push({ ...stmt, name: { ...stmt.name, text: name }, value });
        continue;
      }
      const dist = rewrite(stmt.dist, s);
      const type = stmt.type ? { ...stmt.type, dims: stmt.type.dims.map((d) => rewrite(d, s)) } : null;
      if (!stmt.index) {
        if (inLoop) {
          ctx.broken.add(stmt.name.text);
          once(stmt.name.span, () =>
            ctx.report('VAE335', { kind: 'site-in-loop-without-step', site: stmt.name.text, variable: [...s.vars.keys()].pop() ?? 't' }, { span: stmt.name.span }),
          );
          continue;
        }
        out.push(dist === stmt.dist && type === stmt.type ? stmt : { ...stmt, dist, type });
        continue;
      }
      const base = stmt.name.text;
      const i = constValue(ctx, rewrite(stmt.index, s), s.vars);
      if (i === undefined || !Number.isInteger(i) || i < 0) {
        once(stmt.index.span, () =>
          i !== undefined && Number.isInteger(i)
            ? ctx.report('VAE334', { kind: 'site-step-before-zero', read: `${base}[${formatIndex(stmt.index!)}]`, step: i, where: s.where }, { span: stmt.index!.span })
            : ctx.report('VAE333', { kind: 'site-step-not-integer', site: base, inLoop }, { span: stmt.index!.span }),
        );
        continue;
      }
      const address = `${base}[${i}]`;
      defined.set(address, out.length);
      sequences.get(base)!.push(i);
      out.push({ ...stmt, name: { ...stmt.name, text: address }, dist, type, step: { base, index: i, indexSpan: stmt.index.span, ...(s.upTo !== undefined ? { upTo: s.upTo } : {}) } });
    }
  };

  const expandFor = (f: A.ForStmt, s: Subst): void => {
    const v = f.variable.text;
    const clash = ctx.globalSpan(v);
    if (clash || s.vars.has(v) || sequences.has(v)) {
      ctx.report('VAE207', { kind: 'loop-variable-declared', name: v }, { span: f.variable.span }, clash ? { secondary: [{ span: clash, message: 'declared here' }] } : {});
      return;
    }
    const bound = (e: A.Expr): number | undefined => {
      const x = constValue(ctx, rewrite(e, s), s.vars);
      if (x === undefined || !Number.isInteger(x)) {
        ctx.report('VAE308', { kind: 'loop-bound-not-integer', found: x ?? null }, { span: e.span });
        return undefined;
      }
      return x;
    };
    const from = bound(f.from);
    const to = bound(f.to);
    if (from === undefined || to === undefined) return;
    if (from < 0 || to < from) {
      ctx.report('VAE334', { kind: 'loop-without-steps', from, to }, { span: from < 0 ? f.from.span : f.to.span });
      return;
    }
    // A loop up to the bound of a sequence axis (`for t in 1..T` with `data x: Real[..T, D]`) runs
    // over that axis: its steps count for an example only before the example's length.
    const upTo = f.to.kind === 'name' && raggedBounds.has(f.to.name) ? f.to.name : s.upTo;
    for (let t = from; t < to; t++) {
      const vars = new Map(s.vars).set(v, t);
      const where = [...vars].map(([k, x]) => `${k} = ${x}`).join(', ');
      expand(f.body, { vars, lets: new Map(s.lets), where, ...(upTo !== undefined ? { upTo } : {}) }, true);
    }
  };

  expand(stmts, { vars: new Map(), lets: new Map(), where: '' }, false);
  // Every step of a sequence with a step on a sequence axis follows that axis's lengths (e.g.
  // `z[0]`, drawn before the loop `for t in 1..T`).
  const ragged = new Map<string, string>();
  for (const st of out) if (st.kind === 'site' && st.step?.upTo !== undefined) ragged.set(st.step.base, st.step.upTo);
  if (ragged.size > 0) {
    for (let k = 0; k < out.length; k++) {
      const st = out[k]!;
      const upTo = st.kind === 'site' && st.step && st.step.upTo === undefined ? ragged.get(st.step.base) : undefined;
      if (st.kind === 'site' && st.step && upTo !== undefined) out[k] = { ...st, step: { ...st.step, upTo } };
    }
  }

  for (const r of reads) {
    const at = defined.get(r.address);
    if (at !== undefined && at < r.at) continue;
    if (ctx.broken.has(r.address)) continue;
    ctx.broken.add(r.address);
    const steps = sequences.get(r.base) ?? [];
    once(r.expr.index.span, () => {
      if (at !== undefined) {
        ctx.report('VAE208', { kind: 'future-step', read: `${r.base}[${formatIndex(r.expr.index)}]`, step: r.index, ...(r.where ? { where: r.where } : {}) }, { span: r.expr.span });
      } else {
        ctx.report('VAE334', { kind: 'step-not-drawn', read: `${r.base}[${formatIndex(r.expr.index)}]`, site: r.base, step: r.index, where: r.where, steps: [...steps] }, { span: r.expr.span });
      }
    });
  }
  return budgetReported ? { stmts: out, sequences, truncated: true } : { stmts: out, sequences };
}

/** The index expression as the user wrote it (loop variables by name). */
export function formatIndex(e: A.Expr): string {
  switch (e.kind) {
    case 'number':
      return e.loopVar ?? String(e.value);
    case 'name':
      return e.name;
    case 'neg':
      return `-${formatIndex(e.operand)}`;
    case 'binary':
      return `${formatIndex(e.left)} ${e.op} ${formatIndex(e.right)}`;
    default:
      return '...';
  }
}
