/**
 * The cleanup registry of a real-mode run: every resource the run makes (child process groups,
 * namespaces, nft tables, sockets) registers how to undo itself, and the registry runs those
 * actions exactly once, newest first, whichever way the run ends — normal return, thrown error,
 * timeout, SIGINT/SIGTERM (then the signal is re-raised, so the shell sees 130/143), or
 * process exit. Actions are synchronous on purpose: they must also work from 'exit' and from a
 * signal handler, where nothing can be awaited.
 */

/** Undoes one resource; must not throw for "already gone". */
export type CleanupAction = () => void;

/** What a cleanup pass did. */
export interface CleanupReport {
  readonly ran: readonly string[];
  readonly failed: readonly { readonly label: string; readonly error: string }[];
}

/** Thrown by `withCleanup` when a run exceeds its time limit. */
export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
}

/** Resources of one run and how to undo them. */
export class CleanupRegistry {
  private readonly pending: { readonly label: string; readonly action: CleanupAction }[] = [];
  private readonly done: string[] = [];
  private readonly failures: { label: string; error: string }[] = [];
  private detachSignals: (() => void) | undefined;
  private readonly controller = new AbortController();

  /** Aborted when the cleanup starts, so work still running (after a timeout) can stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Registers an action; returns a function that runs it now (once) and unregisters it. */
  add(label: string, action: CleanupAction): () => void {
    const entry = { label, action };
    this.pending.push(entry);
    return () => {
      const index = this.pending.indexOf(entry);
      if (index >= 0) {
        this.pending.splice(index, 1);
        this.runOne(entry);
      }
    };
  }

  /** Labels of actions not yet run. */
  get outstanding(): readonly string[] {
    return this.pending.map((entry) => entry.label);
  }

  /** Runs every outstanding action once, newest first; an action that throws doesn't stop the rest. */
  runAll(): CleanupReport {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('run cleaned up'));
    while (this.pending.length > 0) {
      const entry = this.pending.pop();
      if (entry !== undefined) this.runOne(entry);
    }
    this.detachSignals?.();
    return { ran: [...this.done], failed: [...this.failures] };
  }

  private runOne(entry: { readonly label: string; readonly action: CleanupAction }): void {
    try {
      entry.action();
      this.done.push(entry.label);
    } catch (error) {
      this.failures.push({ label: entry.label, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Runs the cleanup on SIGINT/SIGTERM (then re-raises the signal with the default handler, so
   * the process dies of it: exit status 130/143) and on process 'exit'. Returns a detach function.
   */
  installProcessHooks(): () => void {
    if (this.detachSignals !== undefined) return this.detachSignals;
    const onSignal = (signal: NodeJS.Signals): void => {
      detach();
      this.runAll();
      process.kill(process.pid, signal);
    };
    const onExit = (): void => {
      this.runAll();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('exit', onExit);
    const detach = (): void => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('exit', onExit);
      this.detachSignals = undefined;
    };
    this.detachSignals = detach;
    return detach;
  }
}

/** How `withCleanup` guards a run. */
export interface GuardOptions {
  /** Reject with RunTimeoutError (after cleaning up) when the run takes longer. */
  readonly timeoutMs?: number | undefined;
  /** Also clean up on SIGINT/SIGTERM/exit; default true. */
  readonly processHooks?: boolean | undefined;
}

/** Runs `body` with a fresh registry and cleans up exactly once however it ends. */
export async function withCleanup<T>(body: (registry: CleanupRegistry) => Promise<T>, options: GuardOptions = {}): Promise<T> {
  const registry = new CleanupRegistry();
  if (options.processHooks ?? true) registry.installProcessHooks();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (options.timeoutMs === undefined) return;
    const limit = options.timeoutMs;
    timer = setTimeout(() => reject(new RunTimeoutError(`run exceeded ${limit} ms; cleaned up`)), limit);
  });
  try {
    return await Promise.race([body(registry), timeout]);
  } finally {
    clearTimeout(timer);
    registry.runAll();
  }
}

/** Kills a whole process group (a child spawned with `detached: true`); ignores "already gone". */
export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
