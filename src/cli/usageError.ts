/** A mistake on the command line: printed with a hint to `--help`, exit code 2, no stack trace. */
export class UsageError extends Error {
  /** The command whose line it was, for the "Try `tcpsim help COMMAND`" hint. */
  command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
