/**
 * `pg-tap-runner db serve` in a child process, for programs that need a real
 * server to talk to: CI's interoperability checks, the benchmark, the package's
 * own tests. The embedded database in `dataDir` (built first when the folder
 * does not exist; opened as it is when it does, even empty) is served on a
 * free port of 127.0.0.1 until `stop()`. zx runs the child; a server that stops
 * or does not start in time is a connection error (exit 2) carrying everything it printed.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { $, type ProcessPromise } from 'zx';
import { connection } from '../errors.js';

export interface ServedDatabase {
  port: number;
  /** postgresql://postgres:postgres@127.0.0.1:<port>/postgres?sslmode=disable */
  url: string;
  /** what the server printed so far, standard output and error interleaved */
  log(): string;
  /** stops the server (SIGTERM) and waits for it to exit */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/pg-tap-runner.js', import.meta.url));

export async function serveInBackground(options: {
  dataDir: string;
  /** where the command runs: its supabase/ folder is the project served */
  cwd: string;
  /** default: a free port */
  port?: number;
  /** how long it may take to build and listen; default 120 s */
  startSeconds?: number;
}): Promise<ServedDatabase> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  // db serve serves the embedded database: a server URL in the environment is refused
  delete env['DATABASE_URL'];
  // with a test worker's stack (4 MB): on V8's 1 MB of the main thread, a value nested 8,000 levels
  // deep ran PostgreSQL out of stack, the served database died with a PANIC and its clients waited
  const child: ProcessPromise = $({
    cwd: options.cwd,
    env,
    quiet: true,
    nothrow: true,
  })`${process.execPath} --stack-size=3800 ${BIN} db serve --port ${port} --data-dir ${options.dataDir}`;
  let log = '';
  const listening = new Promise<void>((resolve, reject) => {
    const seconds = options.startSeconds ?? 120;
    const timer = setTimeout(() => reject(connection(`db serve did not start within ${seconds} s:\n${log}`)), seconds * 1000);
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      if (/^serving /m.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void child.then((result) => {
      clearTimeout(timer);
      reject(connection(`db serve exited (code ${result.exitCode}) before serving:\n${log}`));
    });
  });
  const stop = async () => {
    if (child.stage === 'running') await child.kill('SIGTERM');
    await child;
  };
  try {
    await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    log: () => log,
    stop,
  };
}

/** A port nobody listens on now (the server takes it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
