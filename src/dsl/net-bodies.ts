/**
 * Net bodies and activations. A net's signature fixes its input and output sizes; the body
 * fixes the layers in between. Output transforms follow the output type (transformOnto in
 * distributions/constraints.ts: Positive -> softplus, Unit -> sigmoid, Simplex -> softmax,
 * Real -> identity); the checker records them in NetInfo.
 */

export const ACTIVATIONS = ['softplus', 'relu', 'tanh', 'sigmoid', 'elu', 'selu', 'leakyRelu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface NetBodyArgSpec {
  readonly name: string;
  readonly kind: 'int-list' | 'activation' | 'number';
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
]);

export interface NetBody {
  readonly kind: 'mlp' | 'linear';
  readonly hidden: readonly number[];
  readonly activation: Activation;
}
