/** The resolved configuration as printed at start-up and saved as config.json (defaults marked). */
import { formatBeta, formatObjective, formatOptimizer, type TrainConfig, type TrainKey } from '../dsl/train-config';
import type { Plan } from '../inference/plan';

export type Origin = 'file' | 'cli' | 'default';

export interface ResolvedConfig {
  readonly config: TrainConfig;
  readonly origin: Readonly<Record<TrainKey, Origin>>;
}

function value(c: TrainConfig, k: TrainKey): string {
  switch (k) {
    case 'objective':
      return formatObjective(c.objective);
    case 'optimizer':
      return formatOptimizer(c.optimizer);
    case 'beta':
      return formatBeta(c.beta);
    case 'classify':
      return c.classify ? `${c.classify.site} weight ${c.classify.weight}` : 'none';
    case 'labelsPerClass':
      return c.labelsPerClass === null ? 'all' : `${c.labelsPerClass} per class`;
    default: {
      const v = c[k];
      return v === null ? 'none' : String(v);
    }
  }
}

const ORDER: TrainKey[] = ['objective', 'particles', 'optimizer', 'batch', 'epochs', 'steps', 'kl', 'beta', 'freeBits', 'classify', 'dataset', 'binarize', 'labelsPerClass', 'seed', 'earlyStopping'];

export function configLines(r: ResolvedConfig, plan: Plan): string[] {
  const lines = ORDER.map((k) => {
    const tag = r.origin[k] === 'default' ? '  (default)' : r.origin[k] === 'cli' ? '  (command line)' : '';
    return `  ${(k === 'labelsPerClass' ? 'labels' : k).padEnd(14)}${value(r.config, k)}${tag}`;
  });
  for (const s of plan.sites) lines.push(`  ${`estimator`.padEnd(14)}${s.name}: ${s.estimator} (${s.reason}; KL ${s.kl === 'mc' ? 'sampled' : s.kl})`);
  return lines;
}

export function configJson(r: ResolvedConfig): Record<string, { value: unknown; origin: Origin }> {
  return Object.fromEntries(ORDER.map((k) => [k === 'labelsPerClass' ? 'labels' : k, { value: r.config[k], origin: r.origin[k] }]));
}
