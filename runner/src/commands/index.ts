/**
 * The commands, in the order `--help` lists them: each one's table and how it
 * runs (`<command>.options.ts`). A command's module is loaded when it runs, so
 * a start pays for one command's imports.
 */
import { usageMarkdown } from '../command-line.js';
import { docs } from './docs.options.js';
import { fingerprint } from './fingerprint.options.js';
import { migrate } from './migrate.options.js';
import { mutate } from './mutate.options.js';
import { newMigration } from './new-migration.options.js';
import type { RunnerCommand } from './options.js';
import { reset } from './reset.options.js';
import { seed } from './seed.options.js';
import { serve } from './serve.options.js';
import { status } from './status.options.js';
import { test } from './test.options.js';
import { watch } from './watch.options.js';

export const COMMANDS: readonly RunnerCommand[] = [reset, migrate, seed, status, serve, fingerprint, test, docs, watch, newMigration, mutate];

/** runner/README.md's usage block: every command's --help (`npm run -w pg-tap-runner readme` writes it). */
export const usageBlock = (): string => usageMarkdown('pg-tap-runner', COMMANDS);
