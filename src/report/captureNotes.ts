/**
 * The errors programs got, as records for a capture: an accept() that failed with EMFILE, a
 * connect() that timed out, a read that was reset. None of them is a packet, so each becomes a
 * syslog message (facility user, severity err) carried in an exported-PDU record
 * (LINKTYPE_WIRESHARK_UPPER_PDU) on an interface of its own: Wireshark shows it in time order as
 * "Syslog … USER.ERR: server: accept() failed: EMFILE (Too many open files)", and the record's
 * comment puts it in `tshark -z expert` among the comments.
 */
import type { Errno, Trace, TraceEvent } from '../sim/trace.js';

/** Wireshark's exported-PDU link type: records tagged with the dissector that reads them. */
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;

const TAG_END = 0;
const TAG_DISSECTOR_NAME = 12;
const TAG_IPV4_SRC = 20;
/** syslog priority <11>: facility user (1) × 8 + severity err (3). */
const USER_ERR = 11;

/** strerror(3)'s words for each errno (glibc). */
export const ERRNO_TEXT: Readonly<Record<Errno, string>> = {
  EMFILE: 'Too many open files',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  ECONNREFUSED: 'Connection refused',
  EPIPE: 'Broken pipe',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EBADF: 'Bad file descriptor',
  ENOTCONN: 'Transport endpoint is not connected',
};

/** One error, as a capture shows it. */
export interface ErrorNote {
  readonly process: string;
  readonly text: string;
}

const isErrno = (text: string): text is Errno => Object.prototype.hasOwnProperty.call(ERRNO_TEXT, text);

/**
 * The error events of `trace` (failed calls and `error` lines), each with its text, keyed by the
 * event itself; with `conns`, only those of sockets of these connections.
 */
export function errorNotes(trace: Trace, conns?: ReadonlySet<number>): Map<TraceEvent, ErrorNote> {
  const connOf = new Map(trace.sockets.map((s) => [s.id, s.conn]));
  const notes = new Map<TraceEvent, ErrorNote>();
  for (const event of trace.events) {
    let errno: Errno;
    let what: string;
    if (event.kind === 'call' && isErrno(event.result)) {
      errno = event.result;
      what = `${event.call}() failed`;
    } else if (event.kind === 'error') {
      errno = event.errno;
      what = 'error';
    } else continue;
    const conn = event.socket === null ? undefined : connOf.get(event.socket);
    if (conns !== undefined && (conn === undefined || !conns.has(conn))) continue;
    const on = conn !== undefined && conn >= 0 ? ` (connection ${conn})` : '';
    notes.set(event, { process: event.process, text: `${event.process}: ${what}: ${errno} (${ERRNO_TEXT[errno]})${on}` });
  }
  return notes;
}

function tag(code: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  const padded = value.length + ((4 - (value.length % 4)) % 4);
  head.writeUInt16BE(code, 0);
  head.writeUInt16BE(padded, 2);
  return Buffer.concat([head, value, Buffer.alloc(padded - value.length)]);
}

/** An exported-PDU record: a syslog message `text`, from `sourceAddress` when given. */
export function notePdu(text: string, sourceAddress?: string): Buffer {
  const tags = [tag(TAG_DISSECTOR_NAME, Buffer.from('syslog', 'ascii'))];
  const octets = sourceAddress?.split('.').map(Number);
  if (octets?.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255)) tags.push(tag(TAG_IPV4_SRC, Buffer.from(octets)));
  tags.push(tag(TAG_END, Buffer.alloc(0)));
  return Buffer.concat([...tags, Buffer.from(`<${USER_ERR}>${text}`, 'utf8')]);
}
