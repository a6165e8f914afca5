#!/usr/bin/env node
// pg-tap-runner's command line: the compiled JavaScript in dist/ when it was built
// from the sources as they are now (build.js), otherwise the TypeScript sources
// through tsx, so an edit to src/ takes effect at once, before the next build.
import { isFresh } from '../build.js';

if (isFresh()) {
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
