/**
 * The fault windows of a run as one long-lived `nft -i` inside the run's namespace: a window
 * opens and closes with a line written to its stdin (a few ms), not a spawned `ip netns exec nft`
 * (60–130 ms on a busy machine, which moved the edges of a window by as much). Started before
 * the run's t0; killed by the cleanup (the namespace takes its tables with it).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { CleanupRegistry } from './cleanup.js';
import { nftDropCommand, type DropRule } from './nftDrop.js';
import { spawnRunChild } from './runChild.js';

/** An interactive nft in one namespace. */
export class NftSession {
  private stderr = '';

  constructor(
    readonly netns: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr += chunk));
    child.stdout?.resume();
    child.stdin?.on('error', () => undefined);
  }

  /** Adds drop table `table` (opens a fault window); returns at once. */
  add(table: string, rules: readonly DropRule[]): void {
    this.write(nftDropCommand(table, rules));
  }

  /** Deletes drop table `table` (closes a fault window); returns at once. */
  remove(table: string): void {
    this.write(`delete table inet ${table}`);
  }

  /** What nft complained about so far ('' when nothing). */
  get errors(): string {
    return this.stderr.trim();
  }

  /** Ends the session once nft has read every line; resolves with its complaints ('' when none). */
  async close(): Promise<string> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.stdin?.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    return this.errors;
  }

  private write(line: string): void {
    if (this.child.stdin === null || this.child.stdin.destroyed) throw new Error(`nft session in ${this.netns} has ended: ${this.errors}`);
    this.child.stdin.write(`${line}\n`);
  }
}

/** Starts `nft -i` inside `netns` (a namespace this run created); its kill is registered. */
export function openNftSession(registry: CleanupRegistry, netns: string, runTag: string): NftSession {
  if (!netns.startsWith('tcpsim-')) throw new Error(`nft drops only inside a namespace this run created, not "${netns}"`);
  const child = spawnRunChild(registry, ['nft', '-i'], { runTag, netns, stdio: ['pipe', 'pipe', 'pipe'] });
  return new NftSession(netns, child);
}
