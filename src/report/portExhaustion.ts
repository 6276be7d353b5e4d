/**
 * The diagnosis of ephemeral-port exhaustion: which client ran out of local ports towards which
 * server, why the ports were still taken (the states of its sockets then), how often connect()
 * failed with EADDRNOTAVAIL, and what would let it connect.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { Scenario } from '../scenario/types.js';
import type { SimulationResult } from '../sim/simulate.js';
import { clock, span } from './clock.js';
import { agree } from './plural.js';

const big = (n: number): string => n.toLocaleString('en-US');

/** One sentence per client process and destination whose ports ran out. */
export function portExhaustionSentences(result: SimulationResult, scenario: Scenario): string[] {
  const { world, profile, samples } = result;
  const [low, high] = profile.ephemeralPorts;
  const range = high - low + 1;
  return world.portExhaustions().map((e) => {
    const hostName = scenario.hosts[e.host]?.name;
    const clients = scenario.processes.filter((p) => p.client !== undefined && p.host === hostName).map((p) => p.name);
    const who = clients.length === 1 ? clients[0]! : `the clients on ${hostName ?? 'their host'}`;
    const server = scenario.processes.find((p) => p.server?.port === e.destination.port && scenario.hosts.find((h) => h.name === p.host)?.address === e.destination.addr);
    const towards = `${server === undefined ? '' : `${server.name} `}(${e.destination.addr}:${e.destination.port})`;
    // what held the ports: the clients' sockets at the first sample once the ports had run out
    const firstAtMs = e.firstAt / 1000;
    const then = samples.find((s) => s.t >= firstAtMs) ?? samples[samples.length - 1];
    const held = new Map<TcpState, number>();
    for (const name of clients) {
      for (const [state, n] of Object.entries(then?.byProcess[name] ?? {})) if (state !== 'LISTEN') held.set(state as TcpState, (held.get(state as TcpState) ?? 0) + n);
    }
    const holders = TCP_STATES.filter((s) => (held.get(s) ?? 0) > 0)
      .sort((a, b) => (held.get(b) ?? 0) - (held.get(a) ?? 0))
      .map((s) => `${big(held.get(s) ?? 0)} ${s}`);
    const holdersText = holders.length === 0 ? '' : ` (at ${clock(then?.t ?? firstAtMs)}: ${holders.join(', ')})`;
    const timeWait = held.has('TIME_WAIT') ? `, and for ${span(profile.timeWait)} of TIME_WAIT after it closes` : '';
    return (
      `${who} ran out of ephemeral ports towards ${towards} at ${clock(firstAtMs)}: ip_local_port_range (${low}–${high}) holds ${big(range)} ports, ` +
      `and a port stays taken while its connection is in the kernel${timeWait}${holdersText}. ` +
      `connect() failed with EADDRNOTAVAIL ${big(e.failures)} ${agree(e.failures, 'time', 'times')}; those connections never started. ` +
      `To open more: spread the clients over more addresses (more hosts), ${held.has('TIME_WAIT') ? 'let new connections reuse ports in TIME_WAIT (net.ipv4.tcp_tw_reuse), ' : ''}or open fewer connections per minute.`
    );
  });
}
