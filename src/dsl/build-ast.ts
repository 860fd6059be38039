/**
 * CST -> AST: the only place that knows Chevrotain's tree shape. Tolerates the partial trees
 * that error recovery produces: a missing piece becomes an `error` expression or a dropped
 * declaration, so the checker never sees `undefined`.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast';
import type { Span } from './source';

type Child = CstNode | IToken;

function isToken(c: Child): c is IToken {
  return (c as IToken).image !== undefined;
}

export class AstBuilder {
  constructor(private readonly file: string) {}

  private tokSpan(t: IToken): Span {
    return { file: this.file, start: t.startOffset, end: t.startOffset + t.image.length };
  }

  /** Spans of CST nodes without a location, computed once each (a parse may hold thousands). */
  private readonly spans = new WeakMap<CstNode, { start: number; end: number } | null>();

  private nodeSpan(n: CstNode): Span {
    const loc = n.location;
    if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset ?? NaN)) {
      return { file: this.file, start: loc.startOffset, end: (loc.endOffset ?? loc.startOffset) + 1 };
    }
    const r = this.extent(n);
    return r ? { file: this.file, ...r } : { file: this.file, start: 0, end: 0 };
  }

  /** First and last real token (not inserted by recovery) under a node, memoized. */
  private extent(n: CstNode): { start: number; end: number } | null {
    const known = this.spans.get(n);
    if (known !== undefined) return known;
    let start = Infinity;
    let end = -Infinity;
    for (const list of Object.values(n.children)) {
      for (const c of list as Child[]) {
        if (isToken(c)) {
          if (c.isInsertedInRecovery || !Number.isFinite(c.startOffset)) continue;
          start = Math.min(start, c.startOffset);
          end = Math.max(end, c.startOffset + c.image.length);
        } else {
          const r = this.extent(c);
          if (r) {
            start = Math.min(start, r.start);
            end = Math.max(end, r.end);
          }
        }
      }
    }
    const out = Number.isFinite(start) ? { start, end } : null;
    this.spans.set(n, out);
    return out;
  }

  private tok(n: CstNode, name: string, i = 0): IToken | undefined {
    const t = (n.children[name] as IToken[] | undefined)?.[i];
    if (!t || t.isInsertedInRecovery || !Number.isFinite(t.startOffset)) return undefined;
    return t;
  }

  private toks(n: CstNode, name: string): IToken[] {
    return ((n.children[name] as IToken[] | undefined) ?? []).filter((t) => !t.isInsertedInRecovery && Number.isFinite(t.startOffset));
  }

  private sub(n: CstNode, name: string, i = 0): CstNode | undefined {
    return (n.children[name] as CstNode[] | undefined)?.[i];
  }

  private subs(n: CstNode, name: string): CstNode[] {
    return (n.children[name] as CstNode[] | undefined) ?? [];
  }

  private name(t: IToken | undefined): A.Name | undefined {
    return t ? { text: t.image, span: this.tokSpan(t) } : undefined;
  }

  private errorExpr(span: Span): A.ErrorExpr {
    return { kind: 'error', span };
  }

  program(cst: CstNode): A.Program {
    const decls: A.Decl[] = [];
    for (const item of this.subs(cst, 'item')) {
      const d = this.item(item);
      if (d) decls.push(d);
    }
    return { file: this.file, decls };
  }

  private item(n: CstNode): A.Decl | undefined {
    const [key, list] = Object.entries(n.children)[0] ?? [];
    const c = (list as CstNode[] | undefined)?.[0];
    if (!c || !key) return undefined;
    switch (key) {
      case 'extendsDecl':
        return this.extendsDecl(c);
      case 'dataDecl':
        return this.dataDecl(c);
      case 'constDecl':
        return this.constDecl(c);
      case 'paramDecl':
        return this.paramDecl(c);
      case 'netDecl':
        return this.netDecl(c);
      case 'blockOrOverride':
        return this.blockOrOverride(c);
      case 'trainBlock':
        return this.trainBlock(c);
      default:
        return undefined;
    }
  }

  private extendsDecl(n: CstNode): A.ExtendsDecl | undefined {
    const s = this.tok(n, 'StringLit');
    if (!s) return undefined;
    return { kind: 'extends', path: unquote(s.image), pathSpan: this.tokSpan(s), span: this.nodeSpan(n) };
  }

  private dataDecl(n: CstNode): A.DataDecl | undefined {
    const name = this.name(this.tok(n, 'Identifier'));
    const type = this.typeExpr(this.sub(n, 'typeExpr'));
    if (!name || !type) return undefined;
    return { kind: 'data', name, type, partial: this.tok(n, 'Question') !== undefined, span: this.nodeSpan(n) };
  }

  private constDecl(n: CstNode): A.ConstDecl | undefined {
    const name = this.name(this.tok(n, 'Identifier'));
    if (!name) return undefined;
    return { kind: 'const', name, value: this.expr(this.sub(n, 'expr'), this.nodeSpan(n)), span: this.nodeSpan(n) };
  }

  private paramDecl(n: CstNode): A.ParamDecl | undefined {
    const name = this.name(this.tok(n, 'Identifier'));
    const type = this.typeExpr(this.sub(n, 'typeExpr'));
    if (!name || !type) return undefined;
    const init = this.sub(n, 'expr');
    return { kind: 'param', name, type, init: init ? this.expr(init, this.nodeSpan(n)) : null, span: this.nodeSpan(n) };
  }

  private netDecl(n: CstNode): A.NetDecl | undefined {
    const name = this.name(this.tok(n, 'Identifier'));
    const inNode = this.sub(n, 'netInputs');
    const outNode = this.sub(n, 'netOutputs');
    if (!name || !inNode || !outNode) return undefined;
    const inputs = this.subs(inNode, 'typeExpr').map((t) => this.typeExpr(t)).filter((t): t is A.TypeExpr => t !== undefined);
    const outputs: A.NetOutput[] = [];
    for (const nt of this.subs(outNode, 'namedType')) {
      const oname = this.name(this.tok(nt, 'Identifier'));
      const type = this.typeExpr(this.sub(nt, 'typeExpr'));
      if (oname && type) outputs.push({ name: oname, type });
    }
    const single = this.typeExpr(this.sub(outNode, 'typeExpr'));
    if (single) outputs.push({ name: null, type: single });
    if (inputs.length === 0 || outputs.length === 0) return undefined;
    const span = this.nodeSpan(n);
    return { kind: 'net', name, inputs, outputs, body: this.expr(this.sub(n, 'expr'), span), span };
  }

  private blockOrOverride(n: CstNode): A.BlockDecl | A.OverrideDecl | undefined {
    const kw = this.tok(n, 'Model') ?? this.tok(n, 'Guide');
    if (!kw) return undefined;
    const block: A.BlockName = kw.image === 'model' ? 'model' : 'guide';
    const span = this.nodeSpan(n);
    const siteNode = this.sub(n, 'siteStmt');
    if (this.tok(n, 'Dot') && siteNode) {
      const site = this.siteStmt(siteNode);
      return site ? { kind: 'override', block, site, span } : undefined;
    }
    const stmts: A.Stmt[] = [];
    for (const s of this.subs(n, 'stmt')) {
      const st = this.stmt(s);
      if (st) stmts.push(st);
    }
    return { kind: 'block', block, keywordSpan: this.tokSpan(kw), stmts, span };
  }

  private stmt(n: CstNode): A.Stmt | undefined {
    const l = this.sub(n, 'letStmt');
    if (l) {
      const name = this.name(this.tok(l, 'Identifier'));
      if (!name) return undefined;
      return { kind: 'let', name, value: this.expr(this.sub(l, 'expr'), this.nodeSpan(l)), span: this.nodeSpan(l) };
    }
    const f = this.sub(n, 'forStmt');
    if (f) return this.forStmt(f);
    const s = this.sub(n, 'siteStmt');
    return s ? this.siteStmt(s) : undefined;
  }

  private forStmt(n: CstNode): A.ForStmt | undefined {
    const variable = this.name(this.tok(n, 'Identifier'));
    if (!variable) return undefined;
    const span = this.nodeSpan(n);
    const body: A.Stmt[] = [];
    for (const s of this.subs(n, 'stmt')) {
      const st = this.stmt(s);
      if (st) body.push(st);
    }
    return { kind: 'for', variable, from: this.additive(this.sub(n, 'additive', 0), span), to: this.additive(this.sub(n, 'additive', 1), span), body, span };
  }

  private siteStmt(n: CstNode): A.SiteStmt | undefined {
    const name = this.name(this.tok(n, 'Identifier'));
    if (!name || !this.tok(n, 'Tilde')) return undefined;
    const typeNode = this.sub(n, 'typeExpr');
    const span = this.nodeSpan(n);
    const annotations: A.Annotation[] = [];
    for (const a of this.subs(n, 'annotation')) {
      const aname = this.name(this.tok(a, 'Identifier'));
      if (!aname) continue;
      const argsNode = this.sub(a, 'args');
      annotations.push({ name: aname, args: argsNode ? this.args(argsNode) : [], span: this.nodeSpan(a) });
    }
    const indexed = this.tok(n, 'LBracket') !== undefined;
    return {
      kind: 'site',
      name,
      ...(indexed ? { index: this.expr(this.sub(n, 'expr', 0), span) } : {}),
      type: typeNode ? (this.typeExpr(typeNode) ?? null) : null,
      dist: this.expr(this.sub(n, 'expr', indexed ? 1 : 0), span),
      annotations,
      span,
    };
  }

  private trainBlock(n: CstNode): A.TrainDecl {
    const entries: A.TrainEntry[] = [];
    for (const e of this.subs(n, 'trainEntry')) {
      const key = this.name(this.tok(e, 'Identifier'));
      if (!key) continue;
      const span = this.nodeSpan(e);
      entries.push({ key, values: this.subs(e, 'expr').map((x) => this.expr(x, span)), span });
    }
    return { kind: 'train', entries, span: this.nodeSpan(n) };
  }

  typeExpr(n: CstNode | undefined): A.TypeExpr | undefined {
    if (!n) return undefined;
    const name = this.name(this.tok(n, 'Identifier'));
    if (!name) return undefined;
    const span = this.nodeSpan(n);
    const upTo = this.tok(n, 'DotDot');
    return { kind: 'type', name, dims: this.subs(n, 'expr').map((e) => this.expr(e, span)), ...(upTo ? { upTo: this.tokSpan(upTo) } : {}), span };
  }

  // ------------------------------------------------------------ expressions

  expr(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    const span = this.nodeSpan(n);
    const parts = this.subs(n, 'additive');
    const first = this.additive(parts[0], span);
    if (this.toks(n, 'Arrow').length > 0) {
      return { kind: 'arrow', from: first, to: this.additive(parts[1], span), span };
    }
    return first;
  }

  private chain(n: CstNode, operandRule: string, opTokens: string[], operand: (c: CstNode | undefined, s: Span) => A.Expr): A.Expr {
    const span = this.nodeSpan(n);
    const operands = this.subs(n, operandRule);
    const ops = opTokens.flatMap((name) => this.toks(n, name)).sort((a, b) => a.startOffset - b.startOffset);
    let acc = operand(operands[0], span);
    for (let i = 0; i < ops.length; i++) {
      const right = operand(operands[i + 1], span);
      const op = ops[i]!.image as A.BinaryOp;
      acc = { kind: 'binary', op, left: acc, right, opSpan: this.tokSpan(ops[i]!), span: { file: this.file, start: acc.span.start, end: right.span.end } };
    }
    return acc;
  }

  private additive(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    return this.chain(n, 'multiplicative', ['Plus', 'Minus'], (c, s) => this.multiplicative(c, s));
  }

  private multiplicative(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    return this.chain(n, 'unary', ['Star', 'Slash'], (c, s) => this.unary(c, s));
  }

  private unary(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    const span = this.nodeSpan(n);
    if (this.tok(n, 'Minus')) return { kind: 'neg', operand: this.unary(this.sub(n, 'unary'), span), span };
    return this.postfix(this.sub(n, 'postfix'), span);
  }

  private postfix(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    let acc = this.primary(this.sub(n, 'primary'), this.nodeSpan(n));
    const dots = this.toks(n, 'Dot');
    const names = this.toks(n, 'Identifier');
    const lparens = this.toks(n, 'LParen');
    const rparens = this.toks(n, 'RParen');
    const argNodes = this.subs(n, 'args');
    const lbrackets = this.toks(n, 'LBracket');
    const rbrackets = this.toks(n, 'RBracket');
    const indexNodes = this.subs(n, 'expr');
    type Step = { at: number; kind: 'dot'; name: IToken | undefined } | { at: number; kind: 'call' | 'index'; index: number };
    const steps: Step[] = [
      ...dots.map((d, i): Step => ({ at: d.startOffset, kind: 'dot', name: names[i] })),
      ...lparens.map((p, i): Step => ({ at: p.startOffset, kind: 'call', index: i })),
      ...lbrackets.map((b, i): Step => ({ at: b.startOffset, kind: 'index', index: i })),
    ].sort((a, b) => a.at - b.at);
    for (const step of steps) {
      if (step.kind === 'dot') {
        const field = this.name(step.name);
        if (!field) return this.errorExpr(this.nodeSpan(n));
        acc = { kind: 'field', target: acc, field, span: { file: this.file, start: acc.span.start, end: field.span.end } };
      } else if (step.kind === 'index') {
        const open = lbrackets[step.index]!;
        const close = rbrackets.find((r) => r.startOffset > open.startOffset && rbrackets.indexOf(r) >= step.index);
        const inside = indexNodes.find((e) => {
          const sp = this.nodeSpan(e);
          return sp.start > open.startOffset && (!close || sp.start < close.startOffset);
        });
        const end = close ? close.startOffset + 1 : inside ? this.nodeSpan(inside).end : open.startOffset + 1;
        const span = { file: this.file, start: acc.span.start, end };
        acc = { kind: 'index', target: acc, index: inside ? this.expr(inside, span) : this.errorExpr(span), span };
      } else {
        const open = lparens[step.index]!;
        const close = rparens.find((r) => r.startOffset > open.startOffset && rparens.indexOf(r) >= step.index);
        const inside = argNodes.find((a) => {
          const s = this.nodeSpan(a);
          return s.start > open.startOffset && (!close || s.start < close.startOffset);
        });
        const end = close ? close.startOffset + 1 : inside ? this.nodeSpan(inside).end : open.startOffset + 1;
        acc = { kind: 'call', callee: acc, args: inside ? this.args(inside) : [], span: { file: this.file, start: acc.span.start, end } };
      }
    }
    return acc;
  }

  private primary(n: CstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.errorExpr(fallback);
    const span = this.nodeSpan(n);
    const num = this.tok(n, 'NumberLit');
    if (num) return { kind: 'number', value: Number(num.image), span };
    const str = this.tok(n, 'StringLit');
    if (str) return { kind: 'string', value: unquote(str.image), span };
    const id = this.tok(n, 'Identifier');
    if (id) return { kind: 'name', name: id.image, span };
    if (this.tok(n, 'LBracket')) {
      return { kind: 'list', items: this.subs(n, 'expr').map((e) => this.expr(e, span)), span };
    }
    if (this.tok(n, 'LParen')) {
      const inner = this.expr(this.sub(n, 'expr'), span);
      return inner;
    }
    return this.errorExpr(span);
  }

  private args(n: CstNode): A.Arg[] {
    const out: A.Arg[] = [];
    for (const a of this.subs(n, 'arg')) {
      const span = this.nodeSpan(a);
      const name = this.tok(a, 'Identifier');
      out.push({ name: name ? (this.name(name) ?? null) : null, value: this.expr(this.sub(a, 'expr'), span), span });
    }
    return out;
  }
}

function unquote(s: string): string {
  const body = s.startsWith('"') ? s.slice(1, s.endsWith('"') && s.length > 1 ? -1 : undefined) : s;
  return body.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
