/**
 * A pcapng capture of a trace for Wireshark/tshark: one Section Header Block, one Interface
 * Description Block (LINKTYPE_RAW, microsecond timestamps), one Enhanced Packet Block per `send`
 * with a synthesized IPv4 + TCP packet carrying real checksums.
 *
 * Capture point: the sender, at the moment of sending (the send's `at`), so every segment appears
 * exactly once — a lost one too, with the comment "lost". A packet's `opt_comment` says what the
 * segment did, and only when it did something: the state changes its arrival caused ("server:
 * ESTABLISHED → CLOSE_WAIT"), the sender's own change that came with sending it ("client:
 * ESTABLISHED → FIN_WAIT_1 (close)"), "retransmission", "lost", "duplicated". A segment that
 * changed nothing (most ACKs and data) has no comment.
 *
 * Addresses: each process is drawn from an address of its own (captureAddresses.ts), so a
 * server and its clients on one host are two columns in Wireshark's Flow Graph. Time: virtual
 * time 0 is written as CAPTURE_EPOCH_US, 2025-01-01 00:00:00 UTC, a fixed instant, so the same
 * run gives the same bytes.
 *
 * Errors that reach a program (accept() → EMFILE, connect() → ETIMEDOUT, …) are not packets: each
 * is a record on a second interface, "tcpsim events" (LINKTYPE_WIRESHARK_UPPER_PDU), holding a
 * syslog message (user.err) from the process's address, with the same text as its comment, so
 * Wireshark lists it in time order between the packets and `tshark -z expert` counts it among the
 * comments. The interface is there only when the run had such errors (captureNotes.ts).
 *
 * Format: pcapng (IETF draft-ietf-opsawg-pcapng), written little-endian; packet bytes are in
 * network order.
 */
import { ACK } from '../model/segment.js';
import type { Segment } from '../model/segment.js';
import type { SocketInfo, Trace, TraceEvent } from '../sim/trace.js';
import { captureAddresses } from './captureAddresses.js';
import { errorNotes, LINKTYPE_WIRESHARK_UPPER_PDU, notePdu } from './captureNotes.js';
import { internetChecksum, onesComplementSum } from './checksum.js';

/** Which connections to capture and where virtual time 0 falls on the wall clock. */
export interface PcapngOptions {
  /** Connection numbers to include (default: every segment in the trace). */
  readonly conns?: readonly number[];
  /** Microseconds since the Unix epoch that virtual time 0 is written as (default CAPTURE_EPOCH_US). */
  readonly epochUs?: number;
  /** `per-process` (default): each process its own address (see the file comment); `as-simulated`: the trace's addresses. */
  readonly addresses?: 'per-process' | 'as-simulated';
}

/** Where virtual time 0 falls in a capture: 2025-01-01 00:00:00 UTC, in microseconds since the Unix epoch. */
export const CAPTURE_EPOCH_US = 1_735_689_600_000_000;

/** LINKTYPE_RAW: packets begin with the IP header. */
export const LINKTYPE_RAW = 101;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SNAPLEN = 262_144;

function pad4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** One option: code, length, value, zero padding to 32 bits. */
function option(code: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(code, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc(pad4(value.length))]);
}

const END_OF_OPTIONS = option(OPT_ENDOFOPT, Buffer.alloc(0));

/** A block: type, total length, body (padded), total length again. */
function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc(pad4(body.length))]);
  const total = 12 + padded.length;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(total, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(total, 0);
  return Buffer.concat([head, padded, tail]);
}

function sectionHeader(): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(0x1a2b3c4d, 0); // byte-order magic
  fixed.writeUInt16LE(1, 4); // major version
  fixed.writeUInt16LE(0, 6); // minor version
  fixed.writeBigInt64LE(-1n, 8); // section length not specified
  return block(BLOCK_SHB, Buffer.concat([fixed, option(SHB_USERAPPL, Buffer.from('tcpsim', 'utf8')), END_OF_OPTIONS]));
}

function interfaceDescription(linktype: number, name: string): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linktype, 0);
  fixed.writeUInt16LE(0, 2); // reserved
  fixed.writeUInt32LE(SNAPLEN, 4);
  const options = [
    option(IF_NAME, Buffer.from(name, 'utf8')),
    option(IF_TSRESOL, Buffer.from([6])), // 10^-6 s: trace times are microseconds
    END_OF_OPTIONS,
  ];
  return block(BLOCK_IDB, Buffer.concat([fixed, ...options]));
}

function enhancedPacket(timestampUs: bigint, packet: Buffer, comment: string, interfaceId = 0): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(interfaceId, 0); // interface id
  fixed.writeUInt32LE(Number(timestampUs >> 32n), 4);
  fixed.writeUInt32LE(Number(timestampUs & 0xffffffffn), 8);
  fixed.writeUInt32LE(packet.length, 12); // captured length
  fixed.writeUInt32LE(packet.length, 16); // original length
  const options = comment === '' ? [] : [option(OPT_COMMENT, Buffer.from(comment, 'utf8')), END_OF_OPTIONS];
  return block(BLOCK_EPB, Buffer.concat([fixed, packet, Buffer.alloc(pad4(packet.length)), ...options]));
}

/** The four bytes of a dotted-quad IPv4 address; throws for anything else. */
export function ipv4Bytes(addr: string): Buffer {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr)?.slice(1).map(Number);
  if (parts === undefined || parts.some((p) => p > 255)) throw new RangeError(`not an IPv4 address: ${JSON.stringify(addr)}`);
  return Buffer.from(parts);
}

/** IPv4 header (no options, DF, TTL 64) + TCP header (no options, window 65535) + payload. */
export function ipv4TcpPacket(segment: Segment, ipId: number): Buffer {
  const payload = Buffer.from(segment.payload, 'latin1');
  const src = ipv4Bytes(segment.src.addr);
  const dst = ipv4Bytes(segment.dst.addr);

  const tcp = Buffer.alloc(20 + payload.length);
  tcp.writeUInt16BE(segment.src.port, 0);
  tcp.writeUInt16BE(segment.dst.port, 2);
  tcp.writeUInt32BE(segment.seq >>> 0, 4);
  tcp.writeUInt32BE(segment.flags & ACK ? segment.ack >>> 0 : 0, 8); // zero unless ACK is set
  tcp.writeUInt8(5 << 4, 12); // data offset: 5 words
  tcp.writeUInt8(segment.flags & 0x3f, 13);
  tcp.writeUInt16BE(65535, 14); // window
  tcp.writeUInt16BE(0, 16); // checksum, below
  tcp.writeUInt16BE(0, 18); // urgent pointer
  payload.copy(tcp, 20);
  const pseudo = Buffer.alloc(12);
  src.copy(pseudo, 0);
  dst.copy(pseudo, 4);
  pseudo.writeUInt8(0, 8);
  pseudo.writeUInt8(6, 9);
  pseudo.writeUInt16BE(tcp.length, 10);
  tcp.writeUInt16BE(~onesComplementSum(tcp, onesComplementSum(pseudo)) & 0xffff, 16); // RFC 9293 §3.1

  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0); // version 4, IHL 5
  ip.writeUInt8(0, 1);
  ip.writeUInt16BE(20 + tcp.length, 2);
  ip.writeUInt16BE(ipId & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // DF, fragment offset 0
  ip.writeUInt8(64, 8); // TTL
  ip.writeUInt8(6, 9); // TCP
  src.copy(ip, 12);
  dst.copy(ip, 16);
  ip.writeUInt16BE(internetChecksum(ip), 10);
  return Buffer.concat([ip, tcp]);
}

type SendEvent = Extract<TraceEvent, { kind: 'send' }>;

/** The comment for each send, keyed by segment id (see the file comment for what it says). */
function comments(trace: Trace, sends: readonly SendEvent[], multipleConns: boolean): Map<number, string[]> {
  const sockets = new Map<number, SocketInfo>(trace.sockets.map((s) => [s.id, s]));
  const who = (socket: number): string => {
    const info = sockets.get(socket);
    if (info === undefined) return `socket ${socket}`;
    return multipleConns && info.conn >= 0 ? `${info.role}[${info.conn}]` : info.role;
  };
  const notes = new Map<number, string[]>(sends.map((s) => [s.segmentId, s.retransmission ? ['retransmission'] : []]));
  const delivered = new Map<number, number>();
  /** Sender-side changes (from calls and timers) waiting for that socket's next send at the same time. */
  const waiting = new Map<number, { at: number; text: string }[]>();
  for (const event of trace.events) {
    if (event.kind === 'state') {
      const change = `${who(event.socket)}: ${event.from} → ${event.to}`;
      if (event.cause.by === 'segment') {
        notes.get(event.cause.segmentId)?.push(change);
      } else {
        const why = event.cause.by === 'call' ? event.cause.call : event.cause.timer;
        waiting.set(event.socket, [...(waiting.get(event.socket) ?? []), { at: event.at, text: `${change} (${why})` }]);
      }
    } else if (event.kind === 'send') {
      const pending = (waiting.get(event.socket) ?? []).filter((w) => w.at === event.at).map((w) => w.text);
      waiting.delete(event.socket);
      notes.get(event.segmentId)?.unshift(...pending);
    } else if (event.kind === 'deliver') {
      const times = (delivered.get(event.segmentId) ?? 0) + 1;
      delivered.set(event.segmentId, times);
      if (times === 2) notes.get(event.segmentId)?.push('duplicated');
    } else if (event.kind === 'drop') {
      notes.get(event.segmentId)?.push(event.reason === 'loss' ? 'lost' : `dropped: ${event.reason}`);
    }
  }
  return notes;
}

/** A pcapng file of the trace's segments (all, or those of `opts.conns`), as sent, and the errors programs got. */
export function toPcapng(trace: Trace, opts: PcapngOptions = {}): Buffer {
  const connOf = new Map(trace.sockets.map((s) => [s.id, s.conn]));
  const wanted = opts.conns === undefined ? undefined : new Set(opts.conns);
  const sends = trace.events.filter(
    (e): e is SendEvent => e.kind === 'send' && (wanted === undefined || wanted.has(connOf.get(e.socket) ?? Number.NaN)),
  );
  const conns = new Set(sends.map((s) => connOf.get(s.socket)));
  const notes = comments(trace, sends, conns.size > 1);
  const addresses = opts.addresses === 'as-simulated' ? undefined : captureAddresses(trace);
  const errors = errorNotes(trace, wanted);
  const epoch = BigInt(opts.epochUs ?? CAPTURE_EPOCH_US);
  const nextIpId = new Map<string, number>();
  const blocks = [sectionHeader(), interfaceDescription(LINKTYPE_RAW, 'tcpsim')];
  if (errors.size > 0) blocks.push(interfaceDescription(LINKTYPE_WIRESHARK_UPPER_PDU, 'tcpsim events'));
  const wantedSends = new Set(sends);
  for (const event of trace.events) {
    const note = errors.get(event);
    if (note !== undefined) {
      const from = addresses?.ofProcess(note.process);
      blocks.push(enhancedPacket(epoch + BigInt(event.at), notePdu(note.text, from), note.text, 1));
      continue;
    }
    if (event.kind !== 'send' || !wantedSends.has(event)) continue;
    const segment = addresses === undefined ? event.segment : addresses.segment(event.segment, event.socket);
    const ipId = nextIpId.get(segment.src.addr) ?? 1; // per-sender counter, like a host's
    nextIpId.set(segment.src.addr, ipId + 1);
    const packet = ipv4TcpPacket(segment, ipId);
    const comment = (notes.get(event.segmentId) ?? []).join('; ');
    blocks.push(enhancedPacket(epoch + BigInt(event.at), packet, comment));
  }
  return Buffer.concat(blocks);
}
