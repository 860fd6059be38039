/** Every shipped model (models/*.vae, globbed so new models are covered) checks with zero diagnostics. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check';
import { renderDiagnostics } from '../../src/dsl/render-diagnostic';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const models = fs
  .readdirSync(path.join(root, 'models'))
  .filter((f) => f.endsWith('.vae'))
  .sort();

describe('models/*.vae', () => {
  it('there are models to check', () => {
    expect(models.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of models) {
    it(`${file} checks clean`, () => {
      const r = checkFile(`models/${file}`, { cwd: root });
      expect(renderDiagnostics(r.diagnostics, r.sources)).toBe('');
      expect(r.checked).toBeDefined();
      expect(r.plan).toBeDefined();
      // Every latent of the model has a guide site and a planned estimator (for an expectation
      // objective, which has no model, every guide site does).
      const expectation = r.checked!.train.config.objective.kind === 'expectation';
      const latents = expectation ? r.checked!.guide.sites.map((s) => s.name) : r.checked!.model.sites.filter((s) => s.observed !== 'yes').map((s) => s.name);
      expect(r.plan!.sites.map((s) => s.name).sort()).toEqual([...latents].sort());
    });
  }
});
