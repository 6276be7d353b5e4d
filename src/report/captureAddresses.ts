/**
 * Addresses as a capture shows them: each process gets an address of its own, so Wireshark's Flow
 * Graph (and `tshark -z flow,tcp,standard`) draws one column per program even when the scenario
 * puts the server and its clients on one host (the article's 127.0.0.1). On each host address,
 * a server keeps the address (the first process with a listener or an accepted socket, else the
 * first process seen); every other process gets the next free address above it (127.0.0.1 → 127.0.0.2,
 * 127.0.0.3, …), skipping any address a host of the scenario uses. Ports are unchanged.
 */
import type { Endpoint, Segment } from '../model/segment.js';
import type { Trace } from '../sim/trace.js';

/** Where each segment's ends are drawn, and the address each process was given. */
export interface CaptureAddresses {
  /** The segment as the capture shows it (same ports, numbers and payload). */
  segment(segment: Segment, sendingSocket: number): Segment;
  /** The address a process's records are shown from. */
  ofProcess(process: string): string | undefined;
}

function ipv4Number(addr: string): number | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr)?.slice(1).map(Number);
  if (parts === undefined || parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function ipv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const key = (e: Endpoint): string => `${e.addr}:${e.port}`;

/** The capture's addresses for `trace`: one per (host address, process). */
export function captureAddresses(trace: Trace): CaptureAddresses {
  const used = new Set<string>();
  for (const s of trace.sockets) if (s.role !== 'listener') used.add(s.local.addr);
  /** (address, process) → the address drawn. */
  const drawn = new Map<string, string>();
  const byProcess = new Map<string, string>();
  const firstOnAddress = new Map<string, string>();
  const give = (addr: string, process: string): string => {
    const k = `${addr} ${process}`;
    const known = drawn.get(k);
    if (known !== undefined) return known;
    let mine = addr;
    const first = firstOnAddress.get(addr);
    const n = ipv4Number(addr);
    if (first === undefined) firstOnAddress.set(addr, process);
    else if (first !== process && n !== undefined) {
      let next = n;
      do next = (next + 1) >>> 0;
      while (used.has(ipv4Text(next)));
      mine = ipv4Text(next);
      used.add(mine);
    }
    drawn.set(k, mine);
    if (!byProcess.has(process)) byProcess.set(process, mine);
    return mine;
  };
  // servers first; a listener bound to every address (0.0.0.0) names its process on the host's address
  const serversFirst = [...trace.sockets.filter((s) => s.role !== 'client'), ...trace.sockets.filter((s) => s.role === 'client')];
  for (const s of serversFirst) {
    if (s.role === 'listener') {
      if (s.local.addr === '0.0.0.0') {
        const hostAddr = trace.sockets.find((t) => t.host === s.host && t.role !== 'listener')?.local.addr;
        if (hostAddr !== undefined) give(hostAddr, s.process);
      } else give(s.local.addr, s.process);
    } else give(s.local.addr, s.process);
  }
  const socketProcess = new Map(trace.sockets.map((s) => [s.id, s]));
  // the other end of a socket: its connection's other socket
  const peerOf = new Map<number, string>();
  const byConn = new Map<number, { process: string; local: Endpoint; id: number }[]>();
  for (const s of trace.sockets) {
    if (s.conn < 0) continue;
    const list = byConn.get(s.conn) ?? [];
    list.push({ process: s.process, local: s.local, id: s.id });
    byConn.set(s.conn, list);
  }
  for (const list of byConn.values()) for (const a of list) for (const b of list) if (a.id !== b.id) peerOf.set(a.id, b.process);
  // a segment no socket sent (a RST from a port with no socket): the last process seen on its endpoint
  const ownerOf = new Map<string, string>();
  for (const s of trace.sockets) if (s.role !== 'listener') ownerOf.set(key(s.local), s.process);
  const map = (e: Endpoint, process: string | undefined): Endpoint => {
    if (process === undefined) return e;
    const addr = drawn.get(`${e.addr} ${process}`) ?? give(e.addr, process);
    return addr === e.addr ? e : { addr, port: e.port };
  };
  return {
    segment(segment, sendingSocket) {
      const sender = socketProcess.get(sendingSocket);
      const from = sender?.process ?? ownerOf.get(key(segment.src));
      const to = (sender === undefined ? undefined : peerOf.get(sender.id)) ?? ownerOf.get(key(segment.dst));
      const src = map(segment.src, from);
      const dst = map(segment.dst, to);
      return src === segment.src && dst === segment.dst ? segment : { ...segment, src, dst };
    },
    ofProcess: (process) => byProcess.get(process),
  };
}
