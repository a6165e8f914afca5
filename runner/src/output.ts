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
const clearStatus = () => {
  if (statusShown) process.stdout.write('\r\x1b[K');
  statusShown = false;
};

export const consoleOutput: Output = {
  info: (line) => {
    clearStatus();
    process.stdout.write(line + '\n');
  },
  warn: (line) => {
    clearStatus();
    process.stderr.write(line + '\n');
  },
  isTTY: process.stdout.isTTY === true,
  status: (line) => {
    if (process.stdout.isTTY !== true) return;
    clearStatus();
    if (line === '') return;
    const width = process.stdout.columns || 80;
    process.stdout.write(line.length > width - 1 ? line.slice(0, width - 2) + '…\x1b[0m' : line);
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
