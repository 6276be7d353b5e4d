/**
 * `tcpsim real` output: per sample the model's and the kernel's state histograms side by side
 * and the sockets that disagree with both states, then the kernel-timer checks, the end-of-run
 * counts, the notes (ports changed, checks skipped) and the agreement figure. Also the JSON form.
 */
import type { TcpState } from '../model/states.js';
import { sampleConnections, STATE_ORDER, type CrossCheck, type SampleComparison, type SocketComparison, type Tally } from './crossCheck.js';
import type { RealCheckResult } from './realCheck.js';

const SS_NAMES: Partial<Record<TcpState, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_RECEIVED: 'SYN-RECV',
};

function stateLabel(state: TcpState): string {
  return SS_NAMES[state] ?? state.replaceAll('_', '-');
}

function seconds(us: number): string {
  return `${(us / 1_000_000).toFixed(us % 1_000_000 === 0 ? 0 : 3)}s`;
}

function histogramText(h: Partial<Record<TcpState, number>>): string {
  const parts = STATE_ORDER.filter((s) => (h[s] ?? 0) > 0).map((s) => `${stateLabel(s)} ${h[s]}`);
  return parts.length === 0 ? '—' : parts.join(', ');
}

/**
 * What a disagreeing socket's model held during the read, when that is not just its state at the
 * sample's instant: a read that came late (or early) is compared over its own interval.
 */
function duringText(socket: SocketComparison, sample: SampleComparison): string {
  const during = socket.during;
  if (during === undefined) return '';
  return ` (the model during the read, ${seconds(sample.start)}–${seconds(sample.end)}: ${during.map(stateLabel).join(', ')})`;
}

/** The observer line: what was read and how long reads took. */
export function observerText(run: RealCheckResult['run']): string {
  const { source, latency, lateMs } = run.observer;
  return `${source} held open, ${latency.reads} reads, ${latency.medianMs.toFixed(1)} ms median, ${latency.maxMs.toFixed(1)} ms max (the latest began ${lateMs.toFixed(1)} ms after its time); each row is compared over its read's interval`;
}

/** How late the programs' timers fired at worst, per process (for a command, a probe's at its priority: latenessProbe.ts). */
export function latenessText(run: RealCheckResult['run']): string {
  return run.processes.map((p) => (p.runtime === 'command' ? `${p.name} ≤${p.lateMs.toFixed(1)} ms (a command: a probe's at its priority)` : `${p.name} ${p.lateMs.toFixed(1)} ms`)).join(', ');
}

/**
 * How the command clients' connections were tied to the model's: per process, how many were
 * anchored at their accept (else their handshake, else first sight), and how precisely.
 */
export function anchorsText(run: RealCheckResult['run']): string | null {
  const anchors = run.anchors;
  if (anchors === null) return null;
  const widths = anchors.anchors.map((a) => (a.bracket.by - a.bracket.after) / 1000).sort((a, b) => a - b);
  const median = widths[Math.floor(widths.length / 2)] ?? 0;
  const lags = anchors.anchors.flatMap((a) => (a.establishedAt === null ? [] : [(a.at - a.establishedAt) / 1000])).sort((a, b) => a - b);
  const kinds = anchors.summaries
    .map((s) => `${s.process} ${s.learned}/${s.declared} (${(['accepted', 'established', 'seen'] as const).filter((k) => s.byKind[k] > 0).map((k) => `${s.byKind[k]} at ${k === 'accepted' ? 'the accept' : k === 'established' ? 'the handshake' : 'first sight'}`).join(', ')})`)
    .join('; ');
  const lag = lags.length === 0 ? '' : `; the kernel's accepts came ${(lags[Math.floor(lags.length / 2)] ?? 0).toFixed(0)} ms median, ${(lags[lags.length - 1] ?? 0).toFixed(0)} ms at most after the handshakes`;
  return `${kinds}; each known to ±${(median / 2).toFixed(1)} ms median, ±${((widths[widths.length - 1] ?? 0) / 2).toFixed(1)} ms at worst (${run.watchReads} extra reads)${lag}${anchors.unattributed > 0 ? `; ${anchors.unattributed} client end(s) no watched process held` : ''}`;
}

function tallyText(t: Tally): string {
  return `${t.agreed}/${t.compared}`;
}

/**
 * The agreement, kind by kind: `connections 40/40 socket-samples (100.0%), listener 20/20,
 * timers 6/6, counts 2/2`. The percentage is the connections' alone, rounded down (80432/80444
 * is 99.9%, never a misleading 100.0%).
 */
export function agreementText(check: CrossCheck): string {
  const { connections, listeners, timers, counts, beforeAccept } = check.tallies;
  const percent = connections.compared === 0 ? 100 : Math.floor((connections.agreed / connections.compared) * 1000) / 10;
  const before = beforeAccept === 0 ? '' : ` (${beforeAccept} more read before the kernel accepted them: not compared)`;
  return `connections ${tallyText(connections)} socket-samples (${percent.toFixed(1)}%)${before}, listener ${tallyText(listeners)}, timers ${tallyText(timers)}, counts ${tallyText(counts)}`;
}

/** The human-readable report of a checked real run. */
export function crossCheckText(result: RealCheckResult): string {
  const { run, check } = result;
  const lines: string[] = [];
  const scale = result.timeScale === 1 ? '' : `, time scale ${result.timeScale}`;
  lines.push(`real run of ${run.scenario.name}${scale}: ${run.netns === null ? 'host namespace' : `namespace ${run.netns}`}, ${(run.wallMs / 1000).toFixed(1)} s wall`);
  lines.push(`observer: ${observerText(run)}`);
  lines.push(`programs: timers fired at worst ${latenessText(run)} late`);
  const anchored = anchorsText(run);
  if (anchored !== null) lines.push(`connections of commands, from the kernel's table: ${anchored}; the model starts each at that instant and allows that much either way`);
  const sysctls = Object.entries(run.modelSysctls).map(([name, value]) => `${name.replace(/^net\.ipv4\./, '')}=${value}`);
  lines.push(`model: linux profile (TIME_WAIT ${result.replay.profile.timeWait / 1e6} s) with the ${run.netns === null ? "host's" : "namespace's"} ${sysctls.join(' ')}`);
  const late = Math.max(0, ...run.processes.map((p) => p.lateMs));
  lines.push(
    `window: a read within ±${check.windowUs / 1000} ms of a predicted transition may show either neighbour state; the kernel may also be later by 1/8 of a kernel timer behind it (TIME_WAIT, FIN_WAIT_2, a retransmission) and by the programs' lateness (${late.toFixed(1)} ms)`,
  );
  lines.push('');
  const width = Math.max(6, ...check.samples.map((s) => seconds(s.t).length));
  const tallies = check.samples.map((sample) => tallyText(sampleConnections(sample)));
  const tallyWidth = Math.max(7, ...tallies.map((t) => t.length));
  lines.push(`${'t'.padStart(width)}  ${'agreed'.padEnd(tallyWidth)}  ${'model'.padEnd(40)}  kernel`);
  for (const [i, sample] of check.samples.entries()) {
    const mark = sample.sockets.some((s) => s.verdict === 'differ') ? '  ✗' : '';
    lines.push(`${seconds(sample.t).padStart(width)}  ${(tallies[i] ?? '').padEnd(tallyWidth)}  ${histogramText(sample.model).padEnd(40)}  ${histogramText(sample.os)}${mark}`);
    for (const s of sample.sockets.filter((x) => x.verdict === 'differ')) {
      lines.push(`${''.padStart(width)}    ✗ ${s.key}: model ${stateLabel(s.model)}, kernel ${stateLabel(s.os)}${duringText(s, sample)}`);
    }
  }
  if (check.timers.length > 0) {
    const bad = check.timers.filter((c) => !c.ok);
    const worst = Math.max(...check.timers.map((c) => (c.modelMs === null ? Infinity : Math.abs(c.modelMs - c.osMs))));
    lines.push('');
    lines.push(`kernel timers: ${check.timers.length} TIME_WAIT/FIN_WAIT_2 remaining times, ${bad.length} off by more than 1 s (largest difference ${Number.isFinite(worst) ? `${(worst / 1000).toFixed(3)} s` : 'n/a'})`);
    for (const c of bad.slice(0, 10)) {
      lines.push(`  ✗ at ${seconds(c.t)} ${c.key} ${stateLabel(c.state)}: kernel ${c.osMs} ms, model ${c.modelMs === null ? 'no expiry' : `${Math.round(c.modelMs)} ms`}`);
    }
  }
  if (check.counts.length > 0) {
    lines.push('');
    for (const c of check.counts) lines.push(`  ${c.compared ? (c.ok ? '✓' : '✗') : '·'} ${c.what}: kernel ${c.os}, model ${c.model}${c.compared ? '' : ' (not compared)'}`);
  }
  const notes = [...run.notes];
  if (late > check.windowUs / 1000) {
    notes.push(`the programs' timers fired up to ${late.toFixed(1)} ms late (more than the ±${check.windowUs / 1000} ms window): this machine is loaded; the kernel was allowed to be that much later`);
  }
  if (check.ignoredRows > 0) notes.push(`${check.ignoredRows} kernel row(s) on the run's ports belong to no socket of this run (an earlier connection's TIME_WAIT, which a SYN of this run may take over later); not compared`);
  const resets = run.processes.filter((p) => p.resetsOnClose > 0);
  for (const p of resets) notes.push(`${p.name}: ${p.resetsOnClose} close() issued as resetAndDestroy() because Node had read bytes the program had not consumed`);
  if (notes.length > 0) {
    lines.push('');
    for (const note of notes) lines.push(`note: ${note}`);
  }
  lines.push('');
  lines.push(`agreement: ${agreementText(check)}${check.ok ? '' : ' — the kernel and the model disagree'}`);
  return lines.join('\n');
}

const ms = (us: number): number => Math.round(us) / 1000;

/**
 * The machine-readable report of a checked real run. Every time in it is in milliseconds
 * (`timeUnit: "ms"`): sample times and read intervals since the run's t0, timer values, the
 * window, the observer's latencies, the wall time.
 */
export function crossCheckJson(result: RealCheckResult): unknown {
  const { run, check } = result;
  return {
    scenario: run.scenario.name,
    timeUnit: 'ms',
    timeScale: result.timeScale,
    netns: run.netns,
    observer: run.observer,
    wallMs: run.wallMs,
    tunables: run.tunables,
    sysctls: run.modelSysctls,
    windowMs: ms(check.windowUs),
    ok: check.ok,
    tallies: check.tallies,
    agreement: check.agreement,
    compared: check.compared,
    agreed: check.agreed,
    connections: Object.fromEntries([...run.connections].map(([conn, local]) => [conn, local])),
    anchors:
      run.anchors === null
        ? null
        : {
            summaries: run.anchors.summaries,
            unattributed: run.anchors.unattributed,
            watchReads: run.watchReads,
            connections: run.anchors.anchors.map((a) => ({ conn: a.conn, process: a.process, port: a.port, kind: a.kind, at: ms(a.at), after: ms(a.bracket.after), by: ms(a.bracket.by), start: ms(a.start), establishedAt: a.establishedAt === null ? null : ms(a.establishedAt) })),
          },
    processes: run.processes,
    samples: check.samples.map((s) => ({
      t: ms(s.t),
      start: ms(s.start),
      end: ms(s.end),
      model: s.model,
      kernel: s.os,
      connections: sampleConnections(s),
      disagreements: s.sockets.filter((x) => x.verdict === 'differ').map((x) => ({ socket: x.key, model: x.model, kernel: x.os, modelDuringRead: x.during ?? [x.model] })),
    })),
    timers: check.timers.map((c) => ({ ...c, t: ms(c.t) })),
    counts: check.counts,
    ignoredRows: check.ignoredRows,
    notes: run.notes,
  };
}
