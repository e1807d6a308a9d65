/** Where a command writes; process.stdout in real use, a string collector in tests. */
export interface Output {
  write(chunk: string): unknown;
}

export interface Io {
  stdout: Output;
  stderr: Output;
}

/** Writes `text` as one or more whole lines. */
export function writeLine(out: Output, text: string): void {
  out.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Machine output: one JSON document per command, on one line. */
export function writeJson(out: Output, value: unknown): void {
  writeLine(out, JSON.stringify(value));
}
