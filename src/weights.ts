/**
 * A program's weights saved and loaded through tfjs IOHandlers (browser-safe): in a browser
 * 'indexeddb://name', 'localstorage://name' or 'downloads://name' (a model.json and a
 * weights.bin download); in Node a folder (src/weights-files.ts). The weights are tfjs's weights
 * format (tf.io.encodeWeights); the artifacts' topology records the program's source and
 * parameter names, so loading into a different program fails with a message instead of a
 * silent mismatch.
 *
 * @example
 *   await saveWeights(prog, 'indexeddb://my-vae');
 *   await loadWeights(prog, 'indexeddb://my-vae');
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from './core/errors';
import { CheckpointError } from './train/checkpoint-error';
import type { Program } from './program';

/** What the artifacts' modelTopology holds (tfjs stores it as JSON). */
interface Topology {
  readonly format: 'vaelang-weights';
  readonly version: 1;
  readonly params: readonly string[];
}

function saveHandler(dest: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof dest !== 'string') return dest;
  const h = tf.io.getSaveHandlers(dest)[0];
  if (!h) throw new UserError(`no way to save to '${dest}' here`, "in a browser use 'indexeddb://NAME' or 'downloads://NAME'; in Node pass fileHandler(DIR)");
  return h;
}

function loadHandler(src: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof src !== 'string') return src;
  const h = tf.io.getLoadHandlers(src)[0];
  if (!h) throw new UserError(`no way to load from '${src}' here`, "in a browser use 'indexeddb://NAME' (or tf.io.browserFiles for uploaded files); in Node pass fileHandler(DIR)");
  return h;
}

/** Saves every parameter of `prog` (by its name, e.g. 'encoder.l0.w'). */
export async function saveWeights(prog: Program, dest: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
  const h = saveHandler(dest);
  if (!h.save) throw new UserError('this IOHandler cannot save', 'pass a handler with a save method');
  const entries = prog.store.list();
  const { data, specs } = await tf.io.encodeWeights(entries.map((e) => ({ name: e.name, tensor: e.variable })));
  const topology: Topology = { format: 'vaelang-weights', version: 1, params: entries.map((e) => e.name) };
  return h.save({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData: data, format: 'vaelang-weights', generatedBy: 'vaelang' });
}

/** Loads weights saved by {@link saveWeights} into `prog`; names and shapes must match its parameters. */
export async function loadWeights(prog: Program, src: string | tf.io.IOHandler): Promise<void> {
  const h = loadHandler(src);
  if (!h.load) throw new UserError('this IOHandler cannot load', 'pass a handler with a load method');
  const a = await h.load();
  if (!a.weightSpecs || !a.weightData) throw new CheckpointError('the saved artifacts hold no weights', 'save them with saveWeights');
  const tensors = tf.io.decodeWeights(a.weightData, a.weightSpecs);
  try {
    const entries = prog.store.list();
    const missing = entries.filter((e) => !tensors[e.name]).map((e) => e.name);
    const extra = Object.keys(tensors).filter((k) => !prog.store.has(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new CheckpointError(
        `the saved weights do not fit this program: ${missing.length > 0 ? `missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `unknown ${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ` and ${extra.length - 3} more` : ''}` : ''}`,
        'load weights saved from the same program (the same nets, params and sizes)',
      );
    }
    for (const e of entries) {
      const t = tensors[e.name]!;
      if (t.shape.join(',') !== e.variable.shape.join(',')) {
        throw new CheckpointError(`the saved weights do not fit this program: ${e.name} has shape [${t.shape.join(', ')}], the program's [${e.variable.shape.join(', ')}]`, 'load weights saved from the same program (the same nets, params and sizes)');
      }
    }
    for (const e of entries) e.variable.assign(tensors[e.name]!);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
