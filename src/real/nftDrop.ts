/**
 * Packet loss for real mode: an nftables table inside the run's namespace that drops matching
 * TCP segments on the **input** hook (the receiver never sees them, the sender learns nothing
 * and retransmits on its RTO — dropping on output would be reported to the sender and behave
 * differently). The caller adds the table at the start of a fault window and removes it at the end.
 */
import type { CleanupRegistry } from './cleanup.js';
import { runChecked, runSyncQuiet } from './runCommand.js';

/** Which segments a rule drops. */
export type DropMatch = 'any' | 'fin' | 'syn' | 'rst';

/** One drop rule: which segments, on which port (either direction), with what probability. */
export interface DropRule {
  readonly match: DropMatch;
  /** Segments to or from this port; every TCP segment when omitted. */
  readonly port?: number | undefined;
  /** Only segments to (`dport`) or from (`sport`) the port; both when omitted. */
  readonly direction?: 'dport' | 'sport' | undefined;
  /** Only segments whose control bits are exactly these (nft spelling, e.g. `fin|ack`). */
  readonly flagsExactly?: string | undefined;
  /** Percent of matching segments dropped, 1..100 (nft `numgen random mod 100 < N`). */
  readonly percent: number;
  /**
   * Drop at most this many matching segments, whenever the table is removed (nft `limit rate
   * 1/hour burst N packets`: the first N match, later ones pass). A precise drop of the one
   * segment the model drops cannot then take the next one, however late the removal comes.
   */
  readonly maxPackets?: number | undefined;
}

const FLAG_MATCH: Readonly<Record<DropMatch, string>> = {
  any: '',
  fin: ' tcp flags & fin == fin',
  syn: ' tcp flags & syn == syn',
  rst: ' tcp flags & rst == rst',
};

function assertTableName(table: string): void {
  if (!/^tcpsim_[A-Za-z0-9_]{1,40}$/.test(table)) throw new Error(`refusing nft table name "${table}" (must be tcpsim_…)`);
}

function ruleLines(rule: DropRule): string[] {
  if (!Number.isInteger(rule.percent) || rule.percent < 1 || rule.percent > 100) {
    throw new Error(`drop percent must be an integer 1..100, got ${rule.percent}`);
  }
  const random = rule.percent === 100 ? '' : ` numgen random mod 100 < ${rule.percent}`;
  if (rule.flagsExactly !== undefined && !/^(fin|syn|rst|psh|ack)(\|(fin|syn|rst|psh|ack))*$/.test(rule.flagsExactly)) {
    throw new Error(`not a set of TCP flags: ${rule.flagsExactly}`);
  }
  const flags = rule.flagsExactly === undefined ? FLAG_MATCH[rule.match] : ` tcp flags & (fin|syn|rst|psh|ack|urg) == ${rule.flagsExactly}`;
  if (rule.maxPackets !== undefined && (!Number.isInteger(rule.maxPackets) || rule.maxPackets < 1)) throw new Error(`maxPackets must be a positive integer, got ${rule.maxPackets}`);
  const limit = rule.maxPackets === undefined ? '' : ` limit rate 1/hour burst ${rule.maxPackets} packets`;
  if (rule.port === undefined) return [`meta l4proto tcp${flags}${random}${limit} drop`];
  if (!Number.isInteger(rule.port) || rule.port < 1 || rule.port > 65_535) throw new Error(`not a TCP port: ${rule.port}`);
  if (rule.direction !== undefined) return [`tcp ${rule.direction} ${rule.port}${flags}${random}${limit} drop`];
  // One rule per direction: numgen is evaluated per rule, so each segment is tested once.
  return [`tcp dport ${rule.port}${flags}${random}${limit} drop`, `tcp sport ${rule.port}${flags}${random}${limit} drop`];
}

/** The `nft -f` script creating table `inet <table>` with an input-hook chain holding `rules`. */
export function nftDropScript(table: string, rules: readonly DropRule[]): string {
  assertTableName(table);
  const lines = rules.flatMap(ruleLines).map((line) => `    ${line}`);
  return [
    `table inet ${table} {`,
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    ...lines,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The same table as one `nft` command line (`add table inet NAME { … }`), for `nft -i`. */
export function nftDropCommand(table: string, rules: readonly DropRule[]): string {
  assertTableName(table);
  const body = ['type filter hook input priority filter; policy accept;', ...rules.flatMap(ruleLines).map((line) => `${line};`)].join(' ');
  return `add table inet ${table} { chain input { ${body} }; }`;
}

/** A drop table in force; `remove()` ends the fault window (idempotent). */
export interface DropTable {
  readonly netns: string;
  readonly table: string;
  remove(): void;
}

/** Deletes table `inet <table>` in `netns` synchronously; "no such table" is not an error. */
export function deleteDropTableSync(netns: string, table: string): void {
  assertTableName(table);
  const result = runSyncQuiet(['nft', 'delete', 'table', 'inet', table], { netns });
  if (result.code !== 0 && !/No such file|does not exist|Cannot open network namespace/i.test(result.stderr)) {
    throw new Error(`nft delete table inet ${table} in ${netns}: ${result.stderr.trim()}`);
  }
}

/** Adds the drop table inside namespace `netns` (never the host's), registering its removal. */
export async function addDropTable(
  registry: CleanupRegistry,
  netns: string,
  table: string,
  rules: readonly DropRule[],
): Promise<DropTable> {
  if (!netns.startsWith('tcpsim-')) throw new Error(`nft drops only inside a namespace this run created, not "${netns}"`);
  const script = nftDropScript(table, rules);
  const remove = registry.add(`nft table ${table} in ${netns}`, () => deleteDropTableSync(netns, table));
  await runChecked(['nft', '-f', '-'], { netns, input: script });
  return { netns, table, remove };
}

/** Names of the `inet` tables in a namespace (or the host's when `netns` is undefined). */
export async function listNftTables(netns?: string): Promise<string[]> {
  const stdout = await runChecked(['nft', 'list', 'tables'], { netns });
  return stdout
    .split('\n')
    .map((line) => /^table\s+\S+\s+(\S+)/.exec(line.trim())?.[1])
    .filter((name): name is string => name !== undefined);
}
