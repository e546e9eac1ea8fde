/** Why an import failed; stable codes for the UI, the CLI and tests. */
export type ImportErrorCode =
  | 'empty-file'
  | 'binary-file'
  | 'unsupported-format'
  | 'unrecognised-format'
  | 'missing-column'
  | 'no-data-rows'
  | 'too-many-bad-rows'
  | 'read-failed'
  | 'damaged-file'
  | 'invalid-parameter'
  | 'too-large'
  | 'line-too-long'
  | 'aborted';

/**
 * The one error type an importer throws. Its message always starts with the file name, so the
 * UI alert and the CLI's stderr line name the file and what is wrong without further wrapping.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly code: ImportErrorCode,
    readonly fileName: string,
    problem: string,
  ) {
    super(`${fileName}: ${problem}`);
  }
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}
