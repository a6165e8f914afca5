/** Shared by the runner's own tests: configs over fixture projects, temporary copies. */
import { mkdtempSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { loadConfig, type Config, type Flags } from '../src/config.js';
import { embeddedExtensions } from '../src/database/extensions.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Snapshots and reports of this test process, outside the fixtures. */
export const SCRATCH = mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));

/** A config for a fixture project (its `supabase` folder), as the command line would build it. */
export function fixtureConfig(projectDir: string, flags: Flags = {}, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig(
    {
      'supabase-dir': path.join(projectDir, 'supabase'),
      'snapshot-dir': path.join(SCRATCH, 'snapshots'),
      'reports-dir': path.join(SCRATCH, 'reports'),
      ...flags,
    },
    env,
    projectDir,
  );
}

/** A private copy of a fixture project, to change its files. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `runner-${name}-`));
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** A server target for the tests: an in-memory PGlite with every embedded extension, on a free loopback port. */
export interface InMemoryServer {
  db: PGlite;
  server: PGLiteSocketServer;
  url: string;
  close(): Promise<void>;
}

export async function serveInMemory(): Promise<InMemoryServer> {
  const db = await PGlite.create({ extensions: await embeddedExtensions() });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    db,
    server,
    url,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
