/** `tcpsim teach`: serves the teaching page on 127.0.0.1 and prints its URL; opens nothing. Ctrl-C stops it. */
import { TEACH_HELP } from './helpTexts.js';
import { parseFlags } from './parseFlags.js';
import { UsageError } from './usageError.js';

/** Runs `tcpsim teach`; resolves with the exit code once the server stops (SIGINT or SIGTERM). */
export async function teachCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('teach', argv, { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(`${TEACH_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`tcpsim teach takes no scenario (found "${positionals[0] ?? ''}")`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0..65535, found "${values.port ?? ''}"`);
  const { startTeachServer, teachPage } = await import('../site/teachServer.js');
  const page = teachPage();
  if (page === undefined) throw new UsageError('the teaching page is not built: run npm run site');
  const server = await startTeachServer(page, port).catch((error: unknown) => {
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${error instanceof Error ? error.message : String(error)}`);
  });
  process.stdout.write(`tcpsim teach: the teaching page is at ${server.url} (this machine only; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
