/** Where commands write: standard output for results, standard error for warnings. Tests capture it. */
export interface Output {
  info(line: string): void;
  warn(line: string): void;
  /** true when results go to a terminal: progress and colours */
  readonly isTTY?: boolean;
  /** a progress line that the next line replaces (terminals only); '' clears it */
  status?(line: string): void;
}

let statusShown = false;

/**
 * Standard output's reader went away (`pg-tap-runner test --reporter tap | head`):
 * what is left to print is dropped, without the EPIPE error Node.js would throw,
 * and `stdoutClosed` fires once, so a run can stop (test.ts) and end quietly.
 */
let stdoutOpen = true;
export const stdoutClosed = new EventTarget();
process.stdout.on('error', () => {
  // EPIPE, or any other error of a stream that can no longer be written
  if (!stdoutOpen) return;
  stdoutOpen = false;
  stdoutClosed.dispatchEvent(new Event('closed'));
});
const write = (text: string) => {
  if (stdoutOpen) process.stdout.write(text);
};
// the same for standard error (`2>&1 | head`): its lines are dropped
let stderrOpen = true;
process.stderr.on('error', () => {
  stderrOpen = false;
});
const clearStatus = () => {
  if (statusShown) write('\r\x1b[K');
  statusShown = false;
};

export const consoleOutput: Output = {
  info: (line) => {
    clearStatus();
    write(line + '\n');
  },
  warn: (line) => {
    clearStatus();
    if (stderrOpen) process.stderr.write(line + '\n');
  },
  isTTY: process.stdout.isTTY === true,
  status: (line) => {
    if (process.stdout.isTTY !== true) return;
    clearStatus();
    if (line === '') return;
    const width = process.stdout.columns || 80;
    write(line.length > width - 1 ? line.slice(0, width - 2) + '…\x1b[0m' : line);
    statusShown = true;
  },
};

/** An Output that keeps the lines: for tests, and for programs that read what a command printed. */
export function memoryOutput(options: { onInfo?: (line: string) => void } = {}): Output & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (l) => {
      lines.push(l);
      options.onInfo?.(l);
    },
    warn: (l) => void warnings.push(l),
  };
}
