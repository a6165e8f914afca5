/** Where commands write: standard output for results, standard error for warnings. Tests capture it. */
export interface Output {
  info(line: string): void;
  warn(line: string): void;
}

export const consoleOutput: Output = {
  info: (line) => process.stdout.write(line + '\n'),
  warn: (line) => process.stderr.write(line + '\n'),
};

/** An Output that keeps the lines, for the runner's own tests. */
export function memoryOutput(): Output & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return { lines, warnings, info: (l) => void lines.push(l), warn: (l) => void warnings.push(l) };
}
