#!/usr/bin/env node
// pg-tap-runner's command line: the TypeScript sources run through tsx, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
