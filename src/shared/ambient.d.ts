/**
 * The few platform globals the pure core may use. They exist with identical semantics in Node,
 * browsers and Web Workers (WHATWG Encoding Standard), so declaring them here keeps `lib: ["ES2022"]`
 * strict about everything else (`window`, `fs`, `Buffer` stay type errors in src/shared).
 * This file is only part of src/shared/tsconfig.json; the host configs get these from DOM/Node types.
 */
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  readonly encoding: string;
  decode(input?: Uint8Array, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
