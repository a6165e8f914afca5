#!/usr/bin/env node
// pg-tap-runner's command line: the compiled JavaScript in dist/ when it was built
// from the sources as they are now (build.js), otherwise the TypeScript sources
// through tsx, so an edit to src/ takes effect at once, before the next build.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isFresh } from '../build.js';

// `db serve` runs PGlite on the main thread, whose stack V8 keeps at about 1 MB
// (a test worker's is 4 MB): a deeply nested value (JSON 8,000 levels deep) ran
// PostgreSQL out of it, and the served database died with a PANIC while its
// clients waited. It runs again with the stack a worker has.
const SERVE_STACK = '--stack-size=3800';
const [first, second] = process.argv.slice(2);
if (first === 'db' && second === 'serve' && !process.execArgv.some((a) => a.startsWith('--stack-size'))) {
  const child = spawn(process.execPath, [...process.execArgv, SERVE_STACK, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches both (one process group): the server stops itself; a signal sent to this process alone is passed on
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0));
  });
} else if (isFresh()) {
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
