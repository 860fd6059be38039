/**
 * The checker pipeline: declarations, then the model and guide blocks, then model/guide
 * agreement, then the train block. Collects every diagnostic (never stops at the first) and
 * returns a CheckedProgram when there are no errors.
 */
import type * as A from './ast';
import { CheckContext } from './check-context';
import { checkBlock } from './check-blocks';
import { checkConst, checkData, checkNet, checkParam } from './check-decls';
import { checkModelGuide } from './check-model-guide';
import { checkTrain } from './check-train';
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
    ctx.accept('VAE207', `a second \`${which}\` block`, { span: extra.keywordSpan }, { secondary: [{ span: blocks[0]!.keywordSpan, message: 'the first one' }], hint: `put all ${which} sites in one block` });
  }
  return blocks[0] ?? null;
}

export function checkProgram(program: A.Program, sources: SourceSet): CheckResult {
  const ctx = new CheckContext(sources);
  const decls = program.decls;
  for (const d of decls) {
    if (d.kind === 'override') {
      ctx.accept('VAE608', `\`${d.block}.${d.site.name.text} ~ ...\` overrides a site, but this file extends nothing`, { span: d.span }, { hint: `add \`extends "base.vae"\`, or write the site inside \`${d.block} { ... }\`` });
    }
  }
  for (const d of decls) if (d.kind === 'const') checkConst(ctx, d);
  for (const d of decls) if (d.kind === 'data') checkData(ctx, d);
  for (const d of decls) if (d.kind === 'param') checkParam(ctx, d);
  for (const d of decls) if (d.kind === 'net') checkNet(ctx, d);

  const modelDecl = pickBlock(ctx, decls, 'model');
  const guideDecl = pickBlock(ctx, decls, 'guide');
  const modelNames = new Set(modelDecl?.stmts.filter((s) => s.kind === 'site').map((s) => s.name.text) ?? []);
  for (const n of modelNames) if (ctx.data.has(n)) ctx.modelledData.add(n);
  const modelLatents = new Set([...modelNames].filter((n) => !ctx.data.has(n) || ctx.data.get(n)!.partial));

  const modelSites: SiteInfo[] = modelDecl ? checkBlock(ctx, modelDecl, modelLatents, 0).sites : [];
  const guideSites: SiteInfo[] = guideDecl ? checkBlock(ctx, guideDecl, modelLatents, modelSites.length).sites : [];
  const guideNames = new Set(guideDecl?.stmts.filter((s) => s.kind === 'site').map((s) => s.name.text) ?? []);
  checkModelGuide(ctx, modelSites, guideSites, modelDecl, guideDecl, modelNames, guideNames);

  const categoryData = new Map([...ctx.data.values()].filter((d) => d.type.vk === 'Category').map((d) => [d.name, d.partial]));
  const trains = decls.filter((d): d is A.TrainDecl => d.kind === 'train');
  const train = checkTrain(trains, sources, categoryData);
  ctx.diagnostics.push(...train.diagnostics);

  const diagnostics = sortDiagnostics(ctx.diagnostics);
  const block = (decl: A.BlockDecl | null, sites: SiteInfo[]): BlockInfo => ({ decl, stmts: decl?.stmts ?? [], sites });
  const checked: CheckedProgram = {
    program,
    sources,
    consts: new Map([...ctx.consts].map(([k, v]) => [k, v.value])),
    data: [...ctx.data.values()],
    params: [...ctx.params.values()],
    nets: [...ctx.nets.values()],
    model: block(modelDecl, modelSites),
    guide: block(guideDecl, guideSites),
    types: ctx.types,
    calls: ctx.calls,
    refs: ctx.refs,
    train: train.train,
  };
  return { diagnostics, checked: hasErrors(diagnostics) ? undefined : checked, partial: checked };
}
