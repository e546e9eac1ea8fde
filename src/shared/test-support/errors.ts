/**
 * Helpers for tests that check what a parser throws on bad input (an ImportError, never a raw
 * TypeError/RangeError): catch the thrown value to inspect it, and name it in an assertion message.
 */

/** The value `run` throws, or undefined when it returns normally. */
export function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** `Name: message` of a thrown Error (or the thrown value's type), for an assertion's message. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
