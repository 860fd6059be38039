/**
 * Which parameters a report row covers: each parameter group (a net or a `param`, with its side
 * from the ParamStore), each side as a whole, all parameters, and for each latent guide site the
 * guide groups that feed its distribution (directly or through `let`s; a parent site's own
 * parameters are attributed to the parent).
 */
import type * as A from '../dsl/ast';
import type { CheckedProgram } from '../dsl/checked';
import type { ParamStore, Side } from '../inference/params';

export type RowKind = 'group' | 'side' | 'all' | 'site';

export interface RowGroup {
  readonly kind: RowKind;
  /** The group's name: a net or param, `guide` / `model` (sides), `all`, or a site's name. */
  readonly name: string;
  readonly side: Side | 'all';
  /** Variable names (ParamStore entry names) covered by the row. */
  readonly variables: readonly string[];
  /** For site rows: the groups feeding the site. */
  readonly groups?: readonly string[];
}

/** Groups (nets, params) whose values reach each guide site's distribution. */
export function siteGroups(checked: CheckedProgram): Map<string, Set<string>> {
  const letGroups = new Map<A.LetStmt, Set<string>>();
  const walk = (e: A.Expr, out: Set<string>): void => {
    switch (e.kind) {
      case 'call': {
        const t = checked.calls.get(e);
        if (t?.kind === 'net') out.add(t.net);
        e.args.forEach((a) => walk(a.value, out));
        walk(e.callee, out);
        return;
      }
      case 'name': {
        const ref = checked.refs.get(e);
        if (ref?.kind === 'param') out.add(ref.name);
        else if (ref?.kind === 'let') {
          let g = letGroups.get(ref.stmt);
          if (!g) {
            g = new Set();
            letGroups.set(ref.stmt, g);
            walk(ref.stmt.value, g);
          }
          g.forEach((x) => out.add(x));
        }
        return;
      }
      case 'binary':
        walk(e.left, out);
        walk(e.right, out);
        return;
      case 'neg':
        walk(e.operand, out);
        return;
      case 'field':
        walk(e.target, out);
        return;
      case 'index':
        walk(e.target, out);
        walk(e.index, out);
        return;
      case 'list':
        e.items.forEach((x) => walk(x, out));
        return;
      case 'arrow':
        walk(e.from, out);
        walk(e.to, out);
        return;
      default:
        return;
    }
  };
  const out = new Map<string, Set<string>>();
  for (const s of checked.guide.sites) {
    const g = new Set<string>();
    walk(s.stmt.dist, g);
    out.set(s.name, g);
  }
  return out;
}

/** The report rows' parameter sets, in display order. */
export function rowGroups(store: ParamStore, checked: CheckedProgram, latentSites: readonly string[]): RowGroup[] {
  const byGroup = new Map<string, string[]>();
  for (const e of store.list()) byGroup.set(e.group, [...(byGroup.get(e.group) ?? []), e.name]);
  const rows: RowGroup[] = [];
  for (const [name, variables] of byGroup) rows.push({ kind: 'group', name, side: store.sideOf(name), variables });
  for (const side of ['guide', 'model'] as const) {
    const members = [...byGroup.keys()].filter((g) => store.sideOf(g) === side || store.sideOf(g) === 'both');
    if (members.length > 0) rows.push({ kind: 'side', name: side, side, variables: members.flatMap((g) => byGroup.get(g)!), groups: members });
  }
  rows.push({ kind: 'all', name: 'all', side: 'all', variables: [...byGroup.values()].flat(), groups: [...byGroup.keys()] });
  const feeds = siteGroups(checked);
  for (const site of latentSites) {
    const groups = [...(feeds.get(site) ?? [])].filter((g) => byGroup.has(g));
    rows.push({ kind: 'site', name: site, side: 'guide', variables: groups.flatMap((g) => byGroup.get(g)!), groups });
  }
  return rows;
}
