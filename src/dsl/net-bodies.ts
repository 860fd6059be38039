/**
 * Net bodies and activations. A net's signature fixes its input and output sizes; the body
 * fixes the layers in between. Output transforms follow the output type (transformOnto in
 * distributions/constraints.ts: Positive -> softplus, Unit -> sigmoid, Simplex -> softmax,
 * Real -> identity); the checker records them in NetInfo.
 */
import type { Layer } from './layers';

import type { Activation } from './activations';
export { ACTIVATIONS, type Activation } from './activations';

export interface NetBodyArgSpec {
  readonly name: string;
  readonly kind: 'int-list' | 'activation' | 'number' | 'int' | 'bool' | 'layers';
  readonly doc: string;
  readonly default?: unknown;
}

export interface NetBodySpec {
  readonly name: string;
  readonly doc: string;
  readonly args: readonly NetBodyArgSpec[];
}

export const NET_BODIES: ReadonlyMap<string, NetBodySpec> = new Map([
  [
    'mlp',
    {
      name: 'mlp',
      doc: 'A multilayer perceptron: the inputs are flattened and concatenated, then hidden layers, then one linear head per output.',
      args: [
        { name: 'hidden', kind: 'int-list', doc: 'the widths of the hidden layers, e.g. [400]' },
        { name: 'activation', kind: 'activation', doc: 'the hidden activation', default: 'softplus' },
      ],
    },
  ],
  ['linear', { name: 'linear', doc: 'An affine map from the concatenated inputs to each output.', args: [] }],
  [
    'sequential',
    {
      name: 'sequential',
      doc: 'A stack of layers (conv2d, deconv2d, upsample, maxpool, avgpool, dense, flatten, reshape, residual) applied in order. The activation follows every learnable layer except one that produces the outputs itself. A stack that ends flat gets one linear head per output, as `mlp`; one that ends in an image gives the outputs directly, split along the channels.',
      args: [
        { name: 'layers', kind: 'layers', doc: 'the layers, positionally: `conv2d(32, kernel: 4, stride: 2, padding: 1)`, `flatten()`, ...' },
        { name: 'activation', kind: 'activation', doc: 'the activation after each layer (a layer\'s own `activation:` wins)', default: 'relu' },
      ],
    },
  ],
  [
    'gru',
    {
      name: 'gru',
      doc: 'A gated recurrent unit (Cho et al. 2014) over the time axis (the first axis of every input, [T, d]). An output with a time axis [T, ...] gets a linear head at every step; one without gets it from the last state.',
      args: [
        { name: 'hidden', kind: 'int', doc: 'the size of the hidden state' },
        { name: 'reverse', kind: 'bool', doc: 'run from the last step to the first (the state at t summarizes steps t..T-1)', default: false },
      ],
    },
  ],
  [
    'lstm',
    {
      name: 'lstm',
      doc: 'A long short-term memory net (Hochreiter & Schmidhuber 1997) over the time axis, with the same inputs and outputs as `gru`.',
      args: [
        { name: 'hidden', kind: 'int', doc: 'the size of the hidden state' },
        { name: 'reverse', kind: 'bool', doc: 'run from the last step to the first', default: false },
      ],
    },
  ],
]);

export interface MlpBody {
  readonly kind: 'mlp' | 'linear';
  readonly hidden: readonly number[];
  readonly activation: Activation;
}

export interface SequentialBody {
  readonly kind: 'sequential';
  /** The checked layers, each with its input and output shape. */
  readonly layers: readonly Layer[];
  /**
   * 'heads': the stack ends flat and each output gets a linear head (as mlp);
   * 'channels': the stack ends in an image whose channels are the outputs, in order.
   */
  readonly ending: 'heads' | 'channels';
}

export interface RecurrentBody {
  readonly kind: 'gru' | 'lstm';
  readonly hidden: number;
  readonly reverse: boolean;
  /** The time axis length T shared by the inputs (and the per-step outputs). */
  readonly steps: number;
}

export type NetBody = MlpBody | SequentialBody | RecurrentBody;
