/**
 * A trace as compact JSON for the HTML report: one flat array of numbers (times, segment ids and
 * each sender's sequence and acknowledgement numbers as deltas; names, endpoints and payloads as
 * indexes into one string table), which gzip shrinks about
 * thirtyfold against the trace's own JSON. Payloads keep their length and their first
 * PAYLOAD_KEPT characters only (the report shows lengths). Pure: runs in Node and in the browser.
 */
import type { Endpoint, Segment } from '../../model/segment.js';
import type { TcpState } from '../../model/states.js';
import type { AppCall, DropReason, Errno, SocketInfo, StateCause, Trace, TraceEvent } from '../../sim/trace.js';

/** The compact form of a trace. */
export interface PackedTrace {
  readonly strings: readonly string[];
  /** Per socket: id, host, process, local, remote (string indexes), conn, role (string index). */
  readonly sockets: readonly number[];
  readonly events: readonly number[];
}

/** Characters of each payload the packed trace keeps. */
export const PAYLOAD_KEPT = 48;

/** Each sender's last sequence and acknowledgement numbers, so a segment's are written as the (small) change since its sender's previous one. */
class SenderNumbers {
  private readonly last = new Map<number, [number, number]>();

  private key(socket: number, src: number): number {
    return socket >= 0 ? socket : -1 - src;
  }

  pack(socket: number, src: number, seq: number, ack: number): [number, number] {
    const k = this.key(socket, src);
    const [s0, a0] = this.last.get(k) ?? [0, 0];
    this.last.set(k, [seq, ack]);
    return [seq - s0, ack - a0];
  }

  unpack(socket: number, src: number, seqDelta: number, ackDelta: number): [number, number] {
    const k = this.key(socket, src);
    const [s0, a0] = this.last.get(k) ?? [0, 0];
    const out: [number, number] = [s0 + seqDelta, a0 + ackDelta];
    this.last.set(k, out);
    return out;
  }
}

const KIND = { send: 0, deliver: 1, drop: 2, state: 3, call: 4, timer: 5, error: 6 } as const;
const CAUSE = { segment: 0, call: 1, timer: 2 } as const;

/** Packs `trace`, keeping only the events and sockets of connections `keep` accepts (conn -1: listeners and calls on none). */
export function packTrace(trace: Trace, keep: (conn: number) => boolean = () => true): PackedTrace {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const ep = (e: Endpoint): number => str(`${e.addr}:${e.port}`);
  const connOf = new Map<number, number>();
  const sockets: number[] = [];
  for (const s of trace.sockets) {
    connOf.set(s.id, s.conn);
    if (!keep(s.conn)) continue;
    sockets.push(s.id, str(s.host), str(s.process), ep(s.local), ep(s.remote), s.conn, str(s.role));
  }
  const kept = (socket: number | null): boolean => keep(socket === null ? -1 : (connOf.get(socket) ?? -1));
  const sentKept = new Set<number>();
  const out: number[] = [];
  let last = 0;
  let lastSegment = 0;
  const numbers = new SenderNumbers();
  const head = (kind: number, at: number): void => {
    out.push(kind, at - last);
    last = at;
  };
  for (const e of trace.events) {
    switch (e.kind) {
      case 'send': {
        if (!kept(e.socket)) break;
        sentKept.add(e.segmentId);
        head(KIND.send, e.at);
        const s = e.segment;
        const src = ep(s.src);
        const [seq, ack] = numbers.pack(e.socket, src, s.seq, s.ack);
        out.push(e.socket, e.segmentId - lastSegment, src, ep(s.dst), seq, ack, s.flags, s.payload.length, str(s.payload.slice(0, PAYLOAD_KEPT)), e.retransmission ? 1 : 0, s.window ?? -1);
        lastSegment = e.segmentId;
        break;
      }
      case 'deliver':
        if (!sentKept.has(e.segmentId)) break;
        head(KIND.deliver, e.at);
        out.push(e.segmentId - lastSegment, e.socket ?? -1);
        break;
      case 'drop':
        if (!sentKept.has(e.segmentId)) break;
        head(KIND.drop, e.at);
        out.push(e.segmentId - lastSegment, str(e.reason));
        break;
      case 'state': {
        if (!kept(e.socket)) break;
        head(KIND.state, e.at);
        const c = e.cause;
        const detail = c.by === 'segment' ? c.segmentId - lastSegment : str(c.by === 'call' ? c.call : c.timer);
        out.push(e.socket, str(e.from), str(e.to), CAUSE[c.by], detail);
        break;
      }
      case 'call':
        if (!kept(e.socket)) break;
        head(KIND.call, e.at);
        out.push(str(e.process), e.socket ?? -1, str(e.call), str(e.result));
        break;
      case 'timer':
        if (!kept(e.socket)) break;
        head(KIND.timer, e.at);
        out.push(e.socket, str(e.timer));
        break;
      case 'error':
        if (!kept(e.socket)) break;
        head(KIND.error, e.at);
        out.push(str(e.process), e.socket ?? -1, str(e.errno));
        break;
    }
  }
  return { strings, sockets, events: out };
}

/** The trace a packed trace was made from (payloads cut to PAYLOAD_KEPT characters, padded with spaces to their length). */
export function unpackTrace(packed: PackedTrace): Trace {
  const { strings: S, sockets: K, events: E } = packed;
  const s = (i: number): string => S[i] ?? '';
  const endpoints = new Map<number, Endpoint>();
  const ep = (i: number): Endpoint => {
    let e = endpoints.get(i);
    if (e === undefined) {
      const text = s(i);
      const colon = text.lastIndexOf(':');
      e = { addr: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
      endpoints.set(i, e);
    }
    return e;
  };
  const sockets: SocketInfo[] = [];
  for (let i = 0; i + 6 < K.length; i += 7) {
    sockets.push({ id: K[i]!, host: s(K[i + 1]!), process: s(K[i + 2]!), local: ep(K[i + 3]!), remote: ep(K[i + 4]!), conn: K[i + 5]!, role: s(K[i + 6]!) as SocketInfo['role'] });
  }
  const events: TraceEvent[] = [];
  let at = 0;
  let lastSegment = 0;
  const numbers = new SenderNumbers();
  let i = 0;
  const next = (): number => E[i++]!;
  while (i < E.length) {
    const kind = next();
    at += next();
    if (kind === KIND.send) {
      const socket = next();
      const segmentId = lastSegment + next();
      lastSegment = segmentId;
      const srcIndex = next();
      const src = ep(srcIndex);
      const dst = ep(next());
      const [seq, ack] = numbers.unpack(socket, srcIndex, next(), next());
      const flags = next();
      const length = next();
      const kept = s(next());
      const retransmission = next() === 1;
      const window = next();
      const payload = kept.length === length ? kept : kept + ' '.repeat(length - kept.length);
      const segment: Segment = window < 0 ? { src, dst, seq, ack, flags, payload } : { src, dst, seq, ack, flags, payload, window };
      events.push({ kind: 'send', at, socket, segmentId, segment, retransmission });
    } else if (kind === KIND.deliver) {
      const segmentId = lastSegment + next();
      const socket = next();
      events.push({ kind: 'deliver', at, segmentId, socket: socket < 0 ? null : socket });
    } else if (kind === KIND.drop) {
      const segmentId = lastSegment + next();
      events.push({ kind: 'drop', at, segmentId, reason: s(next()) as DropReason });
    } else if (kind === KIND.state) {
      const socket = next();
      const from = s(next()) as TcpState;
      const to = s(next()) as TcpState;
      const by = next();
      const detail = next();
      const cause: StateCause =
        by === CAUSE.segment ? { by: 'segment', segmentId: lastSegment + detail } : by === CAUSE.call ? { by: 'call', call: s(detail) as AppCall } : { by: 'timer', timer: s(detail) };
      events.push({ kind: 'state', at, socket, from, to, cause });
    } else if (kind === KIND.call) {
      const process = s(next());
      const socket = next();
      events.push({ kind: 'call', at, process, socket: socket < 0 ? null : socket, call: s(next()) as AppCall, result: s(next()) });
    } else if (kind === KIND.timer) {
      events.push({ kind: 'timer', at, socket: next(), timer: s(next()) });
    } else if (kind === KIND.error) {
      const process = s(next());
      const socket = next();
      events.push({ kind: 'error', at, process, socket: socket < 0 ? null : socket, errno: s(next()) as Errno });
    } else throw new Error(`packed trace: unknown event kind ${kind} at ${i - 2}`);
  }
  return { sockets, events };
}
