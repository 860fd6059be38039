/**
 * A tfjs IOHandler for a folder on disk (Node): DIR/model.json (the topology and the weights
 * manifest, as tf.io writes it) and DIR/weights.bin, written atomically. For saveWeights and
 * loadWeights (src/weights.ts).
 *
 * @example await saveWeights(prog, fileHandler('runs/my-weights'));
 */
import type * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './core/atomic-file';
import { UserError } from './core/errors';

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = (Array.isArray(data) ? data : [data]).map((b) => new Uint8Array(b));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Saves to and loads from the folder `dir` (created when saving). */
export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const bytes = a.weightData ? concat(a.weightData as ArrayBuffer | ArrayBuffer[]) : new Uint8Array(0);
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(path.join(dir, 'weights.bin'), bytes);
      const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }] };
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const read = (f: string): Buffer => {
        try {
          return fs.readFileSync(path.join(dir, f));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new UserError(`cannot read ${path.join(dir, f)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read'}`, 'give the folder saveWeights wrote (it holds model.json and weights.bin)', code === 'ENOENT' ? 'VAE701' : 'VAE705');
        }
      };
      let json: { modelTopology: object; format?: string; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
      try {
        json = JSON.parse(read('model.json').toString('utf8')) as typeof json;
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`${path.join(dir, 'model.json')} is not valid JSON`, 'save the weights again with saveWeights');
      }
      const bin = read('weights.bin');
      return {
        modelTopology: json.modelTopology,
        ...(json.format !== undefined ? { format: json.format } : {}),
        weightSpecs: json.weightsManifest.flatMap((m) => m.weights),
        weightData: Uint8Array.from(bin).buffer,
      };
    },
  };
}
