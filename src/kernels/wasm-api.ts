/**
 * The parts of the WebAssembly JS API the kernels use (the project's `lib` setting does not
 * declare WebAssembly; Node and browsers both provide it).
 */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
export type WasmModule = object;
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface Api {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}
export const wasm = (globalThis as unknown as { WebAssembly: Api }).WebAssembly;
