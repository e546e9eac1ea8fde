/**
 * The slice of papaparse the pure core uses (parsing strings), typed for src/shared/tsconfig.json only.
 * @types/papaparse references Node's types (for its stream mode), which would put `Buffer`, `process`
 * and friends in scope of the pure core's type check; this declaration keeps that check honest.
 * The host configs resolve 'papaparse' to @types/papaparse as usual.
 */
export interface ParseConfig {
  delimiter?: string;
  header?: false;
  skipEmptyLines?: boolean;
}

export interface ParseResult<T> {
  data: T[];
  errors: { message: string; row?: number }[];
}

export function parse<T>(input: string, config?: ParseConfig): ParseResult<T>;

declare const Papa: { parse: typeof parse };
export default Papa;
