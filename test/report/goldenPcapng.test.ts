/**
 * tshark reads the engine's captures: `tcpsim trace normal-close --format pcapng -o F` shows the
 * two FINs, their ACKs and the RFC table's relative numbers, with checksums validated and every
 * packet commented; `close-with-unread-data` shows the RST. Needs tshark (.ci/run installs it);
 * skipped, saying so, without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/runCommand.js';
import { traceCommand } from '../../src/cli/traceCommand.js';
import { rfcTable } from '../../src/report/rfcTable.js';
import { captureStdout } from './captureStdout.js';
import { engineTrace } from './engineTrace.js';
import { segmentRows } from './rfcFigures.js';
import { hasTool } from './hasTool.js';

const hasTshark = hasTool('tshark', ['--version']);

const FIELDS = [
  'tcp.srcport',
  'tcp.flags.syn',
  'tcp.flags.fin',
  'tcp.flags.reset',
  'tcp.flags.push',
  'tcp.flags.ack',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.checksum.status',
  'ip.checksum.status',
  'frame.comment',
] as const;

/** One packet as tshark decodes it (relative sequence numbers, checksums validated). */
interface Frame {
  readonly srcPort: number;
  readonly ctl: string;
  readonly seq: number;
  readonly ack: number | undefined;
  readonly len: number;
  readonly tcpChecksum: string;
  readonly ipChecksum: string;
  readonly comment: string;
}

/** The tshark options every read uses: checksum validation on, relative numbers. */
const TSHARK_OPTIONS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.relative_sequence_numbers:TRUE'];

function tshark(file: string): Frame[] {
  const args = ['-r', file, '-Y', 'tcp', ...TSHARK_OPTIONS, '-T', 'fields', '-E', 'separator=|', ...FIELDS.flatMap((f) => ['-e', f])];
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const set = (v: string | undefined): boolean => v === '1' || v === 'True';
  return out.trimEnd().split('\n').map((line) => {
    const [port, syn, fin, rst, psh, ack, seq, ackNumber, len, tcpChecksum = '', ipChecksum = '', comment = ''] = line.split('|');
    const flags: [boolean, string][] = [[set(syn), 'SYN'], [set(fin), 'FIN'], [set(rst), 'RST'], [set(psh), 'PSH'], [set(ack), 'ACK']];
    return {
      srcPort: Number(port),
      ctl: flags.filter(([on]) => on).map(([, name]) => name).join(','),
      seq: Number(seq),
      ack: set(ack) ? Number(ackNumber) : undefined,
      len: Number(len),
      tcpChecksum,
      ipChecksum,
      comment,
    };
  });
}

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'tcpsim-golden-')), name);
}

/** `tcpsim trace NAME --format pcapng -o F`, in-process; returns F. */
function tracePcapng(name: string): string {
  const file = tempFile(`${name}.pcapng`);
  expect(traceCommand([name, '--format', 'pcapng', '-o', file])).toBe(0);
  return file;
}

const GOOD = ['1', 'Good'];

let normalCloseFrames: Frame[] | undefined;
/** tshark's reading of normal-close's capture (read once: tshark takes about half a second). */
function normalClose(): Frame[] {
  normalCloseFrames ??= tshark(tracePcapng('normal-close'));
  return normalCloseFrames;
}

// .ci/run installs tshark: in CI its absence is a failure, not a skip
it.runIf(process.env.CI === 'true')('tshark is installed in CI', () => {
  expect(hasTshark).toBe(true);
});

describe.skipIf(!hasTshark)(hasTshark ? "tshark on the engine's pcapng" : "tshark on the engine's pcapng (skipped: tshark not installed — apt-get install tshark, or run .ci/run)", () => {
  it('normal-close: 2 FINs, each ACKed by the peer', () => {
    const frames = normalClose();
    const fins = frames.filter((f) => f.ctl.includes('FIN'));
    expect(fins).toHaveLength(2);
    expect(new Set(fins.map((f) => f.srcPort)).size).toBe(2); // one from each side
    for (const fin of fins) {
      const after = frames.slice(frames.indexOf(fin) + 1);
      expect(after.find((f) => f.srcPort !== fin.srcPort && f.ctl === 'ACK' && f.ack === fin.seq + 1), `the ACK of ${JSON.stringify(fin)}`).toBeDefined();
    }
  });

  it('normal-close: every packet has the numbers and flags the RFC table shows where it was sent', () => {
    const frames = normalClose();
    const sent = segmentRows(rfcTable(engineTrace('normal-close'), 0)).filter((row) => row.sentBy !== undefined);
    expect(frames.map((f) => [f.seq, f.ack, f.ctl, f.len])).toEqual(sent.map((row) => [row.seq, row.ack, row.ctl, row.data]));
  });

  it('normal-close: IP and TCP checksums are Good with validation on, and only packets that changed a state are commented', () => {
    const frames = normalClose();
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect(GOOD).toContain(f.tcpChecksum);
      expect(GOOD).toContain(f.ipChecksum);
    }
    // the handshake and the close change states; the request, the reply and their ACKs do not
    expect(frames.filter((f) => f.comment === '').every((f) => f.len > 0 || f.ctl === 'ACK')).toBe(true);
    expect(frames.filter((f) => f.comment === '').length).toBeGreaterThan(0);
  });

  it('normal-close: the close, frame by frame, with the state changes each segment caused', () => {
    const frames = normalClose();
    const close = frames.slice(frames.findIndex((f) => f.ctl.includes('FIN')));
    expect(close.map((f) => [f.ctl, f.seq, f.ack, f.comment])).toEqual([
      ['FIN,ACK', 15, 15, 'client: ESTABLISHED → FIN_WAIT_1 (close); server: ESTABLISHED → CLOSE_WAIT'],
      ['ACK', 15, 16, 'client: FIN_WAIT_1 → FIN_WAIT_2'],
      ['FIN,ACK', 15, 16, 'server: CLOSE_WAIT → LAST_ACK (close); client: FIN_WAIT_2 → TIME_WAIT'],
      ['ACK', 16, 16, 'server: LAST_ACK → CLOSED'],
    ]);
  });

  it('close-with-unread-data: the server answers with a RST, no FIN, checksums Good', () => {
    const frames = tshark(tracePcapng('close-with-unread-data'));
    const resets = frames.filter((f) => f.ctl.includes('RST'));
    expect(resets.map((f) => [f.srcPort, f.ctl, f.comment])).toEqual([[8888, 'RST,ACK', 'server: ESTABLISHED → CLOSED (close); client: ESTABLISHED → CLOSED']]);
    expect(frames.filter((f) => f.ctl.includes('FIN'))).toEqual([]);
    expect(frames.every((f) => GOOD.includes(f.tcpChecksum) && GOOD.includes(f.ipChecksum))).toBe(true);
  });

  it('tcpsim run --pcap writes the same capture as tcpsim trace for a one-connection run', async () => {
    const file = tempFile('run.pcapng');
    const { code } = await captureStdout(() => runCommand(['normal-close', '--quiet', '--no-color', '--pcap', file]));
    expect(code).toBe(0);
    expect(readFileSync(file).equals(readFileSync(tracePcapng('normal-close')))).toBe(true);
  });
});
