/** What every evaluation metric reads: the trained program, the data split and its seed. */
import type { Program } from '../program';
import type { Dataset } from '../data/dataset';

export interface EvalContext {
  readonly prog: Program;
  readonly data: Dataset;
  /** Data names whose columns are transformed per epoch (dynamic binarization). */
  readonly dynamic: ReadonlySet<string>;
  readonly seed: number;
}
