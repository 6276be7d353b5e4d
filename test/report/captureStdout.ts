/** Runs a CLI command in-process and returns what it wrote to stdout. */

/** Calls `command`, collecting `process.stdout.write` output instead of printing it. */
export async function captureStdout(command: () => Promise<number> | number): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await command();
    return { code, stdout: chunks.join('') };
  } finally {
    process.stdout.write = original;
  }
}
