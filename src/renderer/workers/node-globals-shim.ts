/**
 * The few Node globals that mdb-reader's browser dependencies (readable-stream, cipher-base, via its
 * decryption code) read when their modules are evaluated. Imported first by access-database.ts, only in
 * the compute Web Worker: the window's global scope is never touched. Unencrypted .res files never reach
 * these code paths; the shim only keeps the modules from failing to load.
 */
const workerGlobal = globalThis as { process?: unknown };
workerGlobal.process ??= {
  browser: true,
  env: {},
  version: '',
  versions: {},
  nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => callback(...args)),
};

export {};
