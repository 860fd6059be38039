/**
 * A checkpoint that cannot be used (VAE703), and the hint for a corrupt one. Browser-safe: the
 * trainer raises it for optimizer state of the wrong shape, wherever that state came from.
 */
import { UserError } from '../core/errors';

export class CheckpointError extends UserError {
  override readonly name = 'CheckpointError';
  constructor(message: string, hint?: string) {
    super(message, hint, 'VAE703');
  }
}

export const CORRUPT_HINT = 'the checkpoint is corrupt or was edited; retrain, or use a copy of the run made before';
