/**
 * Fault windows too narrow for nftables. Adding or deleting a table takes a few milliseconds and
 * the real programs run a few milliseconds off the model's schedule, so a 1 ms window (the
 * teaching scenario lost-final-ack drops "exactly the client's final ACK" that way) would drop
 * nothing, or the wrong segment. For such a window, run the model first, see which segments it
 * drops, and drop exactly those in the kernel instead: a rule matching the dropped segment's
 * direction (to or from the fault's port), its exact control bits and whether it carries data,
 * in force over a wider window that contains no other segment of that kind in the model, and
 * dropping one segment at most (so a window that closes late cannot take the next one).
 */
import type { ProfileOverrides, Scenario } from '../scenario/types.js';
import { startPrograms } from '../sim/programs.js';
import { buildWorld } from '../sim/simulate.js';
import type { DropRule } from './nftDrop.js';

/** Narrower windows than this are replaced by a precise rule (microseconds). */
export const NFT_MIN_WINDOW_US = 50_000;
/** How far a widened window may reach either side of the dropped segment (microseconds). */
const WIDEN_MAX_US = 300_000;
/** The least usable widened window (microseconds): nft add/delete and scheduling slack. */
const WIDEN_MIN_US = 60_000;

/** A drop rule in force from `from` to `until` (microseconds since t0). */
export interface TimedDrop {
  readonly from: number;
  readonly until: number;
  readonly rule: DropRule;
  /** What it drops, in words. */
  readonly what: string;
}

/** Result of making a narrow window precise: the rules to apply, or why it cannot be done. */
export type PreciseFault = { readonly ok: true; readonly drops: readonly TimedDrop[] } | { readonly ok: false; readonly reason: string };

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x01, 'fin'],
  [0x02, 'syn'],
  [0x04, 'rst'],
  [0x08, 'psh'],
  [0x10, 'ack'],
];

/** nft spelling of exact control bits, e.g. `fin|ack`. */
export function nftFlags(flags: number): string {
  return FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0)
    .map(([, name]) => name)
    .join('|');
}

/**
 * Replaces fault window `index` of `scenario` (real ports, already time-scaled) by precise drops,
 * using the model run with the linux profile and `overrides`.
 */
export function preciseFault(scenario: Scenario, index: number, overrides: ProfileOverrides): PreciseFault {
  const fault = scenario.faults[index];
  if (fault === undefined) return { ok: false, reason: 'no such fault' };
  const modelScenario: Scenario = { ...scenario, profile: 'linux', profileOverrides: overrides };
  const { world, processIndex } = buildWorld(modelScenario, { trace: true });
  startPrograms(world, modelScenario, processIndex);
  world.runUntil(fault.until + 2 * WIDEN_MAX_US + 1_000_000);
  const trace = world.trace();
  const sends = new Map<number, { at: number; segment: (typeof trace.events)[number] & { kind: 'send' } }>();
  for (const e of trace.events) if (e.kind === 'send') sends.set(e.segmentId, { at: e.at, segment: e });
  const dropped = trace.events.filter((e) => e.kind === 'drop' && e.reason === 'loss' && e.at >= fault.from && e.at < fault.until);
  if (dropped.length === 0) return { ok: true, drops: [] };
  const drops: TimedDrop[] = [];
  for (const d of dropped) {
    if (d.kind !== 'drop') continue;
    const sent = sends.get(d.segmentId);
    if (sent === undefined) return { ok: false, reason: `the model dropped a segment it has no record of sending (#${d.segmentId})` };
    const seg = sent.segment.segment;
    const port = fault.port ?? seg.dst.port;
    const toPort = seg.dst.port === port;
    const data = seg.payload.length > 0;
    const same = (s: typeof seg): boolean =>
      // payload is not matched by the rule, so any segment with these bits in that direction conflicts
      s.flags === seg.flags && (toPort ? s.dst.port === port : s.src.port === port);
    const others = [...sends.values()].filter((x) => x.segment.segmentId !== d.segmentId && same(x.segment.segment)).map((x) => x.at);
    const before = Math.max(-Infinity, ...others.filter((t) => t <= sent.at));
    const after = Math.min(Infinity, ...others.filter((t) => t >= sent.at));
    const from = Math.max(0, sent.at - WIDEN_MAX_US, Number.isFinite(before) ? Math.ceil((before + sent.at) / 2) : 0);
    const until = Math.min(sent.at + WIDEN_MAX_US, Number.isFinite(after) ? Math.floor((after + sent.at) / 2) : Infinity);
    const what = `${data ? 'data segments' : 'segments without data'} with exactly ${nftFlags(seg.flags).toUpperCase()} ${toPort ? 'to' : 'from'} port ${port}`;
    if (until - from < WIDEN_MIN_US) {
      return {
        ok: false,
        reason: `the model drops a segment (${what}) at ${(sent.at / 1000).toFixed(1)} ms but sends another of the same kind ${(Math.min(sent.at - before, after - sent.at) / 1000).toFixed(1)} ms from it: no nftables window can tell them apart`,
      };
    }
    if (data) return { ok: false, reason: `the model drops a data segment (${what}); nftables rules here match control bits, not payload` };
    drops.push({ from, until, what, rule: { match: 'any', port, direction: toPort ? 'dport' : 'sport', flagsExactly: nftFlags(seg.flags), percent: 100, maxPackets: 1 } });
  }
  return { ok: true, drops };
}
