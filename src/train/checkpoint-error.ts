/**
 * A checkpoint that cannot be used (VAE703), and the hint for a corrupt one. Browser-safe: the
 * trainer raises it for optimizer state of the wrong shape, wherever that state came from.
 */
import { UserError } from '../core/errors';
import { renderProblem, type FileProblem } from '../dsl/problems/index';
import { CORRUPT_HINT } from '../dsl/problems/files';

export class CheckpointError extends UserError {
  override readonly name = 'CheckpointError';
  constructor(message: string, hint?: string, data?: FileProblem) {
    super(message, hint, 'VAE703', data);
  }

  /** A checkpoint error built from its data (message and hint rendered by problems/files.ts). */
  static of(data: FileProblem): CheckpointError {
    const r = renderProblem(data);
    return new CheckpointError(r.message, r.hint, data);
  }
}

export { CORRUPT_HINT };
