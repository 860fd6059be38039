/**
 * `plate(dims, name, size, dim?)`: the sites it sees are conditionally independent along one
 * batch dim (Pyro's PlateMessenger). The plate takes its dim from the run's DimAllocator when it
 * is built (src/inference/dims.ts) and pushes its frame onto each message's plate stack
 * (`msg.plates`, Pyro's cond_indep_stack); a fresh sample covers the shape the frames span
 * (plateShape in src/inference/layout.ts), e.g. [K, B].
 *
 * Plates compose: `vectorizedPlates` gives the particle plate and the data plate, and vectorized
 * particles are nothing but an outer plate. Where a plate sits in the handler stack decides
 * which sites it sees (a `block` inside it hides sites from it) and the order of `msg.plates`
 * (outermost first); its dim, and so the shape, comes from the allocator alone.
 */
import type { CondIndepFrame, DimAllocator } from '../dims';
import { DATA_PLATE, PARTICLE_PLATE } from '../layout';
import type { Handler, SampleMsg } from '../messages';

export class PlateHandler implements Handler {
  constructor(readonly frame: CondIndepFrame) {}

  process(msg: SampleMsg): void {
    msg.plates = [this.frame, ...msg.plates]; // process runs innermost first: outer frames end up first
  }
}

/** A plate of `size` named `name`, at `dim` or the rightmost dim no plate holds yet. */
export function plate(dims: DimAllocator, name: string, size: number, dim?: number): PlateHandler {
  return new PlateHandler(dims.allocatePlate(name, size, dim));
}

/**
 * The two plates of an execution, outermost first for a handler stack: K particles (dim -2)
 * around B examples (dim -1). The data plate is allocated first, so it takes the rightmost dim
 * (as Pyro's vectorized particles take a dim left of every model plate).
 */
export function vectorizedPlates(dims: DimAllocator, particles: number, batch: number): [PlateHandler, PlateHandler] {
  const data = plate(dims, DATA_PLATE, batch);
  return [plate(dims, PARTICLE_PLATE, particles), data];
}
