/** The activations of net bodies and layers (`activation: relu`). */
export const ACTIVATIONS = ['softplus', 'relu', 'tanh', 'sigmoid', 'elu', 'selu', 'leakyRelu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
