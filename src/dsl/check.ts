/**
 * The checker pipeline: declarations, then the model and guide blocks, then model/guide
 * agreement, then the train block. Collects every diagnostic (never stops at the first) and
 * returns a CheckedProgram when there are no errors.
 */
import type * as A from './ast';
import { CheckContext } from './check-context';
import { checkBlock } from './check-blocks';
import type { Scope } from './check-context';
import { checkExpr } from './check-expr';
import { formatType } from './types';
import { checkConst, checkData, checkNet, checkParam } from './check-decls';
import { checkModelGuide } from './check-model-guide';
import { checkSizes } from './check-size';
import { checkTrain } from './check-train';
import { unrollBlock, type Unrolled } from './unroll';
import type { BlockInfo, CheckedProgram, SiteInfo } from './checked';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics';
import type { SourceSet } from './source';

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  /** Present when there are no errors. */
  readonly checked: CheckedProgram | undefined;
  /** Always present: the parts that did check (for estimator checks alongside other errors). */
  readonly partial: CheckedProgram;
}

function pickBlock(ctx: CheckContext, decls: readonly A.Decl[], which: A.BlockName): A.BlockDecl | null {
  const blocks = decls.filter((d): d is A.BlockDecl => d.kind === 'block' && d.block === which);
  for (const extra of blocks.slice(1)) {
    ctx.report('VAE207', { kind: 'second-block', block: which }, { span: extra.keywordSpan }, { secondary: [{ span: blocks[0]!.keywordSpan, message: 'the first one' }] });
  }
  return blocks[0] ?? null;
}

/**
 * Data observed step by step (`x[t] ~ ...` with `data x: Real[T, D]`): the model must observe
 * every step of the time axis, each once (a step left out would be silently ignored).
 */
function checkDataSteps(ctx: CheckContext, flat: Unrolled): void {
  for (const [base, steps] of flat.sequences) {
    const data = ctx.data.get(base);
    if (!data || data.type.shape.length === 0 || steps.length === 0) continue;
    const n = data.type.shape[0]!;
    const seen = new Set(steps.filter((i) => i < n));
    if (seen.size === n) continue;
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
    const first = flat.stmts.find((s) => s.kind === 'site' && s.step?.base === base) as A.SiteStmt | undefined;
    ctx.report('VAE409', { kind: 'steps-not-observed', data: base, steps: n, observed: seen.size, missing }, { span: first?.step?.indexSpan ?? data.decl.name.span }, {
      secondary: [{ span: data.decl.type.span, message: `${n} steps` }],
    });
  }
}

/** The argument of the last `objective: minimize(f)` / `maximize(f)` entry, if any. */
function expectationExpr(trains: readonly A.TrainDecl[]): A.Arg | undefined {
  let found: A.Arg | undefined;
  for (const t of trains) {
    for (const e of t.entries) {
      if (e.key.text !== 'objective') continue;
      const v = e.values[0];
      found = v?.kind === 'call' && v.callee.kind === 'name' && (v.callee.name === 'minimize' || v.callee.name === 'maximize') && v.args.length === 1 && v.args[0]!.name === null ? v.args[0] : undefined;
    }
  }
  return found;
}

/** An expectation objective: f is typed in the guide's final scope and must be numeric. */
function checkExpectation(ctx: CheckContext, arg: A.Arg, scope: Scope | undefined, guideDecl: A.BlockDecl | null, modelLatents: ReadonlySet<string>): void {
  if (!guideDecl || !scope) {
    ctx.report('VAE406', { kind: 'expectation-without-guide' }, { span: arg.value.span });
    return;
  }
  const t = checkExpr({ ctx, scope, modelLatents }, arg.value);
  if (t.kind === 'error') return;
  if (t.kind !== 'tensor' || t.vk === 'Category') {
    ctx.report('VAE312', { kind: 'objective-not-numeric', shown: formatType(t) }, { span: arg.value.span });
  }
}

export function checkProgram(program: A.Program, sources: SourceSet): CheckResult {
  const ctx = new CheckContext(sources);
  const decls = program.decls;
  for (const d of decls) {
    if (d.kind === 'override') {
      ctx.report('VAE608', { kind: 'override-without-extends', block: d.block, site: d.site.name.text }, { span: d.span });
    }
  }
  for (const d of decls) if (d.kind === 'const') checkConst(ctx, d);
  for (const d of decls) if (d.kind === 'data') checkData(ctx, d);
  for (const d of decls) if (d.kind === 'param') checkParam(ctx, d);
  for (const d of decls) if (d.kind === 'net') checkNet(ctx, d);

  const modelDecl = pickBlock(ctx, decls, 'model');
  const guideDecl = pickBlock(ctx, decls, 'guide');
  const none: Unrolled = { stmts: [], sequences: new Map() };
  const modelUnrolled = modelDecl ? unrollBlock(ctx, modelDecl.stmts) : none;
  const guideUnrolled = guideDecl ? unrollBlock(ctx, guideDecl.stmts) : none;
  // A block cut short at the unrolling limit (VAE107) is not checked further: its missing steps
  // would only bring follow-on errors (a guide step with no model step, unobserved data steps),
  // one per step, and the limit exists so that checking stays fast.
  const truncated = modelUnrolled.truncated === true || guideUnrolled.truncated === true;
  const modelFlat = truncated ? none : modelUnrolled;
  const guideFlat = truncated ? none : guideUnrolled;
  const modelNames = new Set(modelFlat.stmts.filter((s) => s.kind === 'site').map((s) => s.name.text));
  const dataOf = (s: A.FlatStmt): string => (s.kind === 'site' && s.step ? s.step.base : s.name.text);
  for (const s of modelFlat.stmts) if (s.kind === 'site' && ctx.data.has(dataOf(s))) ctx.modelledData.add(dataOf(s));
  const modelLatents = new Set(modelFlat.stmts.filter((s) => s.kind === 'site' && (!ctx.data.has(dataOf(s)) || ctx.data.get(dataOf(s))!.partial)).map((s) => s.name.text));
  for (const [base] of modelFlat.sequences) if (!ctx.data.has(base)) modelLatents.add(base);

  const modelSites: SiteInfo[] = modelDecl && !truncated ? checkBlock(ctx, modelDecl, modelFlat, modelLatents, 0).sites : [];
  if (modelDecl && !truncated) checkDataSteps(ctx, modelFlat);
  const guideResult = guideDecl && !truncated ? checkBlock(ctx, guideDecl, guideFlat, modelLatents, modelSites.length) : undefined;
  const guideSites: SiteInfo[] = guideResult?.sites ?? [];
  const trainsEarly = decls.filter((d): d is A.TrainDecl => d.kind === 'train');
  const expectation = expectationExpr(trainsEarly);
  const guideNames = new Set(guideFlat.stmts.filter((s) => s.kind === 'site').map((s) => s.name.text));
  if (truncated) {
    // VAE107 said it all (above).
  } else if (expectation) checkExpectation(ctx, expectation, guideResult?.scope, guideDecl, modelLatents);
  else checkModelGuide(ctx, modelSites, guideSites, modelDecl, guideDecl, guideFlat.stmts, modelNames, guideNames);

  const categoryData = new Map([...ctx.data.values()].filter((d) => d.type.vk === 'Category').map((d) => [d.name, d.partial]));
  const trains = decls.filter((d): d is A.TrainDecl => d.kind === 'train');
  const train = checkTrain(trains, sources, categoryData);
  ctx.diagnostics.push(...train.diagnostics);
  if (!hasErrors(ctx.diagnostics)) {
    const nets = [...ctx.nets.values()].map((n) => ({ name: n.name, inputs: n.inputs, outputs: n.outputs, body: n.body, span: n.decl.name.span }));
    const params = [...ctx.params.values()].map((p) => ({ name: p.name, shape: p.type.shape, span: p.decl.name.span }));
    const sites = [
      ...[...ctx.data.values()].map((d) => ({ name: d.name, shape: d.type.shape, span: d.decl.type.span })),
      ...[...modelSites, ...guideSites].map((s) => ({ name: s.name, shape: s.type.shape, span: s.stmt.name.span })),
    ];
    ctx.diagnostics.push(...checkSizes(nets, params, sites, train.train.config.batch));
  }

  const diagnostics = sortDiagnostics(ctx.diagnostics);
  const block = (decl: A.BlockDecl | null, flat: Unrolled, sites: SiteInfo[]): BlockInfo => ({ decl, stmts: flat.stmts, sites });
  const checked: CheckedProgram = {
    objectiveExpr: train.train.config.objective.kind === 'expectation' ? (expectation?.value ?? null) : null,
    program,
    sources,
    consts: new Map([...ctx.consts].map(([k, v]) => [k, v.value])),
    data: [...ctx.data.values()],
    params: [...ctx.params.values()],
    nets: [...ctx.nets.values()],
    model: block(modelDecl, modelFlat, modelSites),
    guide: block(guideDecl, guideFlat, guideSites),
    types: ctx.types,
    calls: ctx.calls,
    refs: ctx.refs,
    train: train.train,
  };
  return { diagnostics, checked: hasErrors(diagnostics) ? undefined : checked, partial: checked };
}
