/**
 * How V8 compiles PGlite's WebAssembly (PostgreSQL, 9 MB). Imports nothing of
 * PGlite, so cli.ts can decide before any database starts.
 */
import v8 from 'node:v8';

/**
 * Has V8 compile PGlite's WebAssembly (PostgreSQL, 9 MB) with its baseline
 * compiler only (Liftoff), never optimising the hot functions again with
 * TurboFan. A command that lives seconds pays for TurboFan's compiling and
 * never earns it back: measured on the suite, it cost more CPU time than it
 * saved, and memory. The flag is process-wide, workers included, and must be
 * set before the first database starts. What lives for minutes (`db serve`,
 * `watch`, whose reruns of a saved file got faster with TurboFan) keeps V8's
 * default.
 */
export function compileWasmForShortRuns(): void {
  v8.setFlagsFromString('--liftoff-only');
}
