/**
 * The few places vaelang reads tfjs's engine beyond its public API, in one module: which
 * backends are initialized or being initialized, and a registered backend factory's priority.
 * Nothing else in src/ touches tf.engine()'s fields (test/layers checks), so a tfjs upgrade
 * that renames them breaks here only.
 */
import * as tf from '@tensorflow/tfjs';

interface EngineFields {
  readonly registry: Record<string, unknown>;
  readonly registryFactory: Record<string, { priority: number } | undefined>;
  readonly pendingBackendInit?: unknown;
}

function fields(): EngineFields {
  return tf.engine() as unknown as EngineFields;
}

/**
 * Whether a backend instance of this name exists, or a backend initialization is under way
 * (tfjs does not record which backend a pending asynchronous init is for; being conservative
 * is cheap). Unlike tf.findBackend, this never initializes a registered backend.
 */
export function backendInitializedOrPending(name: string): boolean {
  const e = fields();
  return e.registry[name] !== undefined || e.pendingBackendInit != null;
}

/** The priority a backend factory was registered with, if it is registered. */
export function backendPriority(name: string): number | undefined {
  return fields().registryFactory[name]?.priority;
}
