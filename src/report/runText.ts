/**
 * The text report of `tcpsim run`: a netstat-style table (one row per sample, a column per state
 * that ever appears, open fds per process), then a summary, the diagnosis and the expectations.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { Scenario } from '../scenario/types.js';
import type { Sample, SimulationResult } from '../sim/simulate.js';
import { clock, diagnose } from './diagnose.js';

/** Styling hooks (no-ops when colour is off). */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  good(text: string): string;
  bad(text: string): string;
}

/** Paint that leaves text alone. */
export const PLAIN: Paint = { bold: (t) => t, dim: (t) => t, good: (t) => t, bad: (t) => t };

/** Options of the text report. */
export interface RunTextOptions {
  readonly paint: Paint;
  /** Leave out the sample table (summary only). */
  readonly quiet: boolean;
}

function sameRow(a: Sample, b: Sample, states: readonly TcpState[], procs: readonly string[]): boolean {
  return states.every((s) => (a.states[s] ?? 0) === (b.states[s] ?? 0)) && procs.every((p) => a.fds[p] === b.fds[p]);
}

/** Processes worth a column: all but clients with no connections (a second run left at 0, say). */
export function shownProcesses(scenario: Scenario): string[] {
  return scenario.processes.filter((p) => p.client === undefined || p.client.connections > 0).map((p) => p.name);
}

/** The sample table: rows where nothing changed since the previous row are folded into a `⋮` line. */
export function sampleTable(result: SimulationResult, scenario: Scenario, paint: Paint): string[] {
  const states = TCP_STATES.filter((s) => s !== 'CLOSED' && result.samples.some((x) => (x.states[s] ?? 0) > 0));
  const procs = shownProcesses(scenario);
  const headers = ['time', ...states, ...procs.map((p) => `fds ${p}`)];
  const timeWidth = Math.max(4, ...result.samples.map((s) => clock(s.t).length));
  const widths = headers.map((h, i) => Math.max(h.length, i === 0 ? timeWidth : 6));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const rows = [paint.bold(line(headers))];
  let previous: Sample | undefined;
  let folded = 0;
  const samples = result.samples;
  samples.forEach((sample, i) => {
    const last = i === samples.length - 1;
    if (previous && sameRow(previous, sample, states, procs) && !last) {
      folded++;
      return;
    }
    if (folded > 0) rows.push(paint.dim(line(['⋮', ...headers.slice(1).map(() => '')]).trimEnd()));
    folded = 0;
    rows.push(line([clock(sample.t), ...states.map((s) => String(sample.states[s] ?? 0)), ...procs.map((p) => String(sample.fds[p] ?? 0))]));
    previous = sample;
  });
  return rows;
}

/** The whole text report. */
export function runText(result: SimulationResult, scenario: Scenario, options: RunTextOptions): string {
  const { paint } = options;
  const out: string[] = [];
  const params = scenario.params.map((p) => `${p.name}=${scenario.paramValues[p.name]}`).join(' ');
  out.push(`${paint.bold(scenario.name)} — ${scenario.description}`);
  out.push(paint.dim(`profile ${result.profile.name} · seed ${result.seed}${params ? ` · ${params}` : ''} · sampled every ${clock(scenario.sample.every / 1000)} until ${clock(scenario.sample.until / 1000)}`));
  out.push('');
  if (!options.quiet) {
    out.push(...sampleTable(result, scenario, paint));
    out.push('');
  }
  const { final, samples } = result;
  out.push(paint.bold('Summary'));
  const peakCloseWait = Math.max(0, ...samples.map((s) => s.states.CLOSE_WAIT ?? 0));
  const peakAt = samples.find((s) => (s.states.CLOSE_WAIT ?? 0) === peakCloseWait);
  out.push(`  peak CLOSE_WAIT   ${peakCloseWait}${peakCloseWait > 0 && peakAt ? ` (first at ${clock(peakAt.t)})` : ''}`);
  const shown = new Set(shownProcesses(scenario));
  const fdText = scenario.processes
    .filter((p) => shown.has(p.name))
    .map((p) => `${p.name} ${final.fds[p.name] ?? 0}/${p.nofile} (baseline ${p.baselineFds + (p.server ? 1 : 0)})`)
    .join(', ');
  out.push(`  fds at the end    ${fdText}`);
  const closed = scenario.processes.filter((p) => (final.closedFds[p.name] ?? 0) > 0).map((p) => `${p.name} ${final.closedFds[p.name]}`);
  if (closed.length > 0) out.push(`  of them, closed   ${closed.join(', ')} — sockets already CLOSED, fds never released: invisible to netstat/ss`);
  const accepted = [...result.stats.accepted].map(([name, n]) => `${name} ${n}`).join(', ');
  if (accepted) out.push(`  accepted          ${accepted}`);
  const errors = Object.entries(final.errors).filter(([, n]) => n > 0);
  // when the errors that end a server's or a client's growth began
  const firstAt = (errno: string): string => {
    const at = errno === 'EMFILE' || errno === 'EADDRNOTAVAIL' ? result.world.firstErrorAt(errno) : undefined;
    return at === undefined ? '' : ` (first at ${clock(at / 1000)})`;
  };
  out.push(`  errors            ${errors.length === 0 ? 'none' : errors.map(([e, n]) => `${e} ${n}${firstAt(e)}`).join(', ')}`);
  const live = Object.entries(final.states).map(([s, n]) => `${s} ${n}`).join(', ');
  out.push(`  ${`sockets at ${clock(final.t)}`.padEnd(17)} ${live || 'none'}`);
  const diagnosis = diagnose(result, scenario);
  if (diagnosis.length > 0) {
    out.push('');
    out.push(paint.bold('Diagnosis'));
    for (const sentence of diagnosis) out.push(`  • ${sentence}`);
  }
  if (result.expectations.length > 0) {
    out.push('');
    out.push(paint.bold('Expectations'));
    for (const e of result.expectations) {
      out.push(e.pass ? `  ${paint.good('✓')} ${e.what}` : `  ${paint.bad('✗')} ${e.what} — ${e.actual ?? ''} ${paint.dim(`(${e.source})`)}`);
    }
    const failed = result.expectations.filter((e) => !e.pass).length;
    out.push(failed === 0 ? paint.good(`  all ${result.expectations.length} hold`) : paint.bad(`  ${failed} of ${result.expectations.length} failed`));
  }
  return out.join('\n');
}
