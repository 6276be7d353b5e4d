import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onesComplementSum } from '../../src/report/checksum.js';
import { CAPTURE_EPOCH_US, ipv4Bytes, LINKTYPE_RAW, toPcapng } from '../../src/report/pcapng.js';
import { rfcTable } from '../../src/report/rfcTable.js';
import type { Trace } from '../../src/sim/trace.js';
import { hasTool } from './hasTool.js';
import { engineTrace } from './engineTrace.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';
import {
  handshakeAndNormalClose,
  normalClose,
  normalCloseWithLostFin,
  resetOnUnreadData,
  simultaneousClose,
} from './fixtures.js';

interface Block {
  readonly type: number;
  readonly body: Buffer;
}

/** Splits a little-endian pcapng into blocks, checking both length fields and 32-bit alignment. */
function blocks(file: Buffer): Block[] {
  const out: Block[] = [];
  let at = 0;
  while (at < file.length) {
    const type = file.readUInt32LE(at);
    const total = file.readUInt32LE(at + 4);
    expect(total % 4).toBe(0);
    expect(file.readUInt32LE(at + total - 4)).toBe(total);
    out.push({ type, body: file.subarray(at + 8, at + total - 4) });
    at += total;
  }
  expect(at).toBe(file.length);
  return out;
}

/** Options from `body` starting at `offset`: code → values, checking padding and end-of-options. */
function options(body: Buffer, offset: number): Map<number, Buffer[]> {
  const found = new Map<number, Buffer[]>();
  let at = offset;
  while (at < body.length) {
    const code = body.readUInt16LE(at);
    const length = body.readUInt16LE(at + 2);
    if (code === 0) {
      expect(at + 4).toBe(body.length);
      return found;
    }
    found.set(code, [...(found.get(code) ?? []), body.subarray(at + 4, at + 4 + length)]);
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return found;
}

interface Packet {
  readonly interfaceId: number;
  readonly timestampUs: bigint;
  readonly data: Buffer;
  readonly comment: string;
}

/** The TCP packets (interface 0) of a capture. */
function packets(file: Buffer): Packet[] {
  return records(file).filter((p) => p.interfaceId === 0);
}

/** Every Enhanced Packet Block: the packets and the error records. */
function records(file: Buffer): Packet[] {
  return blocks(file)
    .filter((b) => b.type === 6)
    .map(({ body }) => {
      const length = body.readUInt32LE(12);
      expect(body.readUInt32LE(16)).toBe(length);
      const data = body.subarray(20, 20 + length);
      const comment = options(body, 20 + length + ((4 - (length % 4)) % 4)).get(1)?.[0]?.toString('utf8') ?? '';
      return { interfaceId: body.readUInt32LE(0), timestampUs: (BigInt(body.readUInt32LE(4)) << 32n) | BigInt(body.readUInt32LE(8)), data, comment };
    });
}

const sendCount = (trace: Trace): number => trace.events.filter((e) => e.kind === 'send').length;

describe('toPcapng', () => {
  it('writes a section header, one raw-IP interface with microsecond timestamps, and a packet per send', () => {
    const trace = normalClose();
    const file = toPcapng(trace);
    const [shb, idb, ...rest] = blocks(file);
    expect(shb?.type).toBe(0x0a0d0d0a);
    expect(file.subarray(8, 12)).toEqual(Buffer.from([0x4d, 0x3c, 0x2b, 0x1a])); // 0x1A2B3C4D, little-endian
    expect(shb?.body.readUInt16LE(4)).toBe(1);
    expect(idb?.type).toBe(1);
    expect(idb?.body.readUInt16LE(0)).toBe(LINKTYPE_RAW);
    expect(options(idb?.body ?? Buffer.alloc(0), 8).get(9)).toEqual([Buffer.from([6])]);
    expect(rest.map((b) => b.type)).toEqual(Array(sendCount(trace)).fill(6));
    expect(packets(file).map((p) => p.timestampUs - BigInt(CAPTURE_EPOCH_US))).toEqual([0n, 10_000n, 5_000_000n, 5_010_000n]);
  });

  it('starts the capture at 2025-01-01 00:00:00 UTC', () => {
    expect(new Date(CAPTURE_EPOCH_US / 1000).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(packets(toPcapng(normalClose()))[0]?.timestampUs).toBe(BigInt(CAPTURE_EPOCH_US));
  });

  it('shifts timestamps by epochUs', () => {
    const epochUs = 1_700_000_000_000_000;
    expect(packets(toPcapng(normalClose(), { epochUs }))[1]?.timestampUs).toBe(BigInt(epochUs) + 10_000n);
  });

  it('synthesizes IPv4 and TCP headers whose checksums verify', () => {
    for (const packet of packets(toPcapng(handshakeAndNormalClose()))) {
      const ip = packet.data.subarray(0, 20);
      expect(ip[0]).toBe(0x45);
      expect(ip.readUInt16BE(2)).toBe(packet.data.length);
      expect(ip.readUInt16BE(6)).toBe(0x4000);
      expect(ip[8]).toBe(64);
      expect(ip[9]).toBe(6);
      expect(onesComplementSum(ip)).toBe(0xffff);
      const tcp = packet.data.subarray(20);
      const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 6, tcp.length >> 8, tcp.length & 0xff])]);
      expect(onesComplementSum(tcp, onesComplementSum(pseudo))).toBe(0xffff);
      expect(tcp[12]).toBe(0x50);
      expect(tcp.readUInt16BE(14)).toBe(65535);
    }
  });

  it('numbers IP ids per sending host and carries the payload as latin1 bytes', () => {
    const all = packets(toPcapng(resetOnUnreadData()));
    expect(all.map((p) => p.data.readUInt16BE(4))).toEqual([1, 1]);
    expect(all[0]?.data.subarray(40).toString('latin1')).toBe('GET / HTTP/1.0\r\n');
    const ids = packets(toPcapng(handshakeAndNormalClose())).map((p) => `${ipv4String(p.data.subarray(12, 16))}#${p.data.readUInt16BE(4)}`);
    expect(ids).toEqual(['10.0.0.1#1', '10.0.0.2#1', '10.0.0.1#2', '10.0.0.1#3', '10.0.0.2#2', '10.0.0.2#3', '10.0.0.1#4']);
  });

  it('comments each packet with the state changes it caused', () => {
    expect(packets(toPcapng(normalClose())).map((p) => p.comment)).toEqual([
      'client: ESTABLISHED → FIN_WAIT_1 (close); server: ESTABLISHED → CLOSE_WAIT',
      'client: FIN_WAIT_1 → FIN_WAIT_2',
      'server: CLOSE_WAIT → LAST_ACK (close); client: FIN_WAIT_2 → TIME_WAIT',
      'server: LAST_ACK → CLOSED',
    ]);
  });

  it('keeps a lost segment once, marked lost, and marks its retransmission', () => {
    const comments = packets(toPcapng(normalCloseWithLostFin())).map((p) => p.comment);
    expect(comments).toHaveLength(5);
    expect(comments[2]).toBe('server: CLOSE_WAIT → LAST_ACK (close); lost');
    expect(comments[3]).toBe('retransmission; client: FIN_WAIT_2 → TIME_WAIT');
  });

  it('captures only the connections asked for', () => {
    expect(packets(toPcapng(normalClose(), { conns: [0] }))).toHaveLength(4);
    expect(packets(toPcapng(normalClose(), { conns: [5] }))).toHaveLength(0);
  });

  it('gives each process on a shared host its own address, the server keeping the host\'s', () => {
    const trace = engineTrace('normal-close');
    const ends = (file: Buffer): string[] => [...new Set(packets(file).map((p) => `${ipv4String(p.data.subarray(12, 16))}:${p.data.readUInt16BE(20)}`))];
    expect(ends(toPcapng(trace))).toEqual(['127.0.0.2:32768', '127.0.0.1:8888']);
    expect(ends(toPcapng(trace, { addresses: 'as-simulated' }))).toEqual(['127.0.0.1:32768', '127.0.0.1:8888']);
  });

  it('records each error a program got on a second interface, as a syslog message with a comment', () => {
    const trace = simulate(loadScenarioFile('scenarios/emfile.yaml'), { trace: true }).world.trace();
    const file = toPcapng(trace);
    const interfaces = blocks(file).filter((b) => b.type === 1);
    expect(interfaces.map((b) => b.body.readUInt16LE(0))).toEqual([LINKTYPE_RAW, 252]);
    const notes = records(file).filter((p) => p.interfaceId === 1);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]?.comment).toMatch(/^server: accept\(\) failed: EMFILE \(Too many open files\)$/);
    expect(notes[0]?.data.toString('utf8')).toContain(`<11>${notes[0]?.comment ?? ''}`);
    expect(notes[0]?.timestampUs).toBe(BigInt(CAPTURE_EPOCH_US + (trace.events.find((e) => e.kind === 'call' && e.result === 'EMFILE')?.at ?? -1)));
    // no errors, no second interface
    expect(blocks(toPcapng(normalClose())).filter((b) => b.type === 1)).toHaveLength(1);
  });

  it('refuses an address that is not IPv4', () => {
    expect(() => ipv4Bytes('::1')).toThrow(RangeError);
    expect(() => ipv4Bytes('10.0.0.256')).toThrow(RangeError);
  });
});

function ipv4String(bytes: Buffer): string {
  return [...bytes].join('.');
}

const hasTshark = hasTool('tshark', ['--version']);

interface Frame {
  readonly fin: boolean;
  readonly rst: boolean;
  readonly seq: number;
  readonly ack: number;
  readonly tcpChecksum: string;
  readonly ipChecksum: string;
  readonly comment: string;
}

const FIELDS = ['tcp.flags.fin', 'tcp.flags.reset', 'tcp.seq', 'tcp.ack', 'tcp.checksum.status', 'ip.checksum.status', 'frame.comment'];

/** Reads `file` with tshark, checksum validation on, one row per frame. */
function tshark(trace: Trace): Frame[] {
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-pcapng-'));
  const file = join(dir, 'trace.pcapng');
  writeFileSync(file, toPcapng(trace));
  const args = ['-r', file, '-Y', 'tcp', '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|'];
  const out = execFileSync('tshark', [...args, ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const flag = (v: string | undefined): boolean => v === '1' || v === 'True';
  return out.trimEnd().split('\n').map((line) => {
    const [fin, rst, seq, ack, tcpChecksum = '', ipChecksum = '', comment = ''] = line.split('|');
    return { fin: flag(fin), rst: flag(rst), seq: Number(seq), ack: Number(ack), tcpChecksum, ipChecksum, comment };
  });
}

/** `[seq, ack]` of each segment as `rfcTable` prints it where it is sent, in trace order. */
function sentNumbers(table: string): [number, number][] {
  const sent = /--> <SEQ=(\d+)>(?:<ACK=(\d+)>)?|^.{4,}? (?:-->|<--|\.\.\.|XXX) <SEQ=(\d+)>(?:<ACK=(\d+)>)?\S*\s+<--/gm;
  return [...table.matchAll(sent)].map((m) => [Number(m[1] ?? m[3]), Number(m[2] ?? m[4] ?? 0)]);
}

const GOOD = ['1', 'Good'];

describe.skipIf(!hasTshark)('toPcapng read back by tshark (skipped: tshark not installed — apt-get install tshark)', () => {
  it.each([
    ['normal close', normalClose],
    ['simultaneous close', simultaneousClose],
    ['handshake and normal close', handshakeAndNormalClose],
  ])('shows 2 FINs, their ACKs and the RFC table relative numbers, checksums Good: %s', (_, make) => {
    const trace = make();
    const frames = tshark(trace);
    expect(frames).toHaveLength(sendCount(trace));
    const fins = frames.filter((f) => f.fin);
    expect(fins).toHaveLength(2);
    for (const fin of fins) {
      expect(frames.some((f) => !f.fin && f.ack === fin.seq + 1)).toBe(true); // its ACK
    }
    expect(frames.map((f) => [f.seq, f.ack])).toEqual(sentNumbers(rfcTable(trace, 0)));
    for (const f of frames) {
      expect(GOOD).toContain(f.tcpChecksum);
      expect(GOOD).toContain(f.ipChecksum);
    }
  });

  it('matches Figure 12 frame by frame', () => {
    expect(tshark(normalClose()).map((f) => [f.fin, f.seq, f.ack, f.comment])).toEqual([
      [true, 1, 1, 'client: ESTABLISHED → FIN_WAIT_1 (close); server: ESTABLISHED → CLOSE_WAIT'],
      [false, 1, 2, 'client: FIN_WAIT_1 → FIN_WAIT_2'],
      [true, 1, 2, 'server: CLOSE_WAIT → LAST_ACK (close); client: FIN_WAIT_2 → TIME_WAIT'],
      [false, 2, 2, 'server: LAST_ACK → CLOSED'],
    ]);
  });

  it('shows the RST of a close with unread data', () => {
    const frames = tshark(resetOnUnreadData());
    expect(frames.map((f) => f.rst)).toEqual([false, true]);
    expect(frames[1]?.comment).toBe('server: ESTABLISHED → CLOSED (close); client: ESTABLISHED → CLOSED');
    expect(frames.every((f) => GOOD.includes(f.tcpChecksum) && GOOD.includes(f.ipChecksum))).toBe(true);
  });

  it('shows a lost FIN once, commented, and its retransmission', () => {
    const frames = tshark(normalCloseWithLostFin());
    expect(frames.filter((f) => f.fin)).toHaveLength(3);
    expect(frames.map((f) => f.comment).filter((c) => /lost|retransmission/.test(c))).toEqual([
      'server: CLOSE_WAIT → LAST_ACK (close); lost',
      'retransmission; client: FIN_WAIT_2 → TIME_WAIT',
    ]);
  });
});
