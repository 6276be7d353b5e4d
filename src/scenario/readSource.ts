/**
 * Reading a scenario file with its size limit enforced while reading: a regular file is read in
 * chunks and reading stops at the limit, so `/dev/zero` or a growing file cannot exhaust memory.
 * Anything but a regular file (a FIFO, a device, a socket, a directory) is refused before a byte
 * is read; the file is opened non-blocking, so a FIFO nobody writes to cannot hang the open.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { LimitAdvice, Limits } from './limits.js';
import { ScenarioError } from './scenarioError.js';

const CHUNK = 64 * 1024;

/** What an open or read failure means to someone who typed the path. */
const FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a path through something that is not a directory',
  EACCES: 'a file without read permission',
  EPERM: 'a file without read permission',
  EISDIR: 'a directory',
  ELOOP: 'a symbolic link loop (a link that leads back to itself)',
  ENAMETOOLONG: 'a path too long for the system',
  ENXIO: 'a socket or a device with nothing behind it',
};

/** The kind of a non-regular file, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuse(path: string, expected: string, found: string, hint?: string): never {
  throw new ScenarioError([{ file: path, line: 1, col: 1, path: '', expected, found, ...(hint === undefined ? {} : { hint }) }]);
}

/** The text of the scenario file at `path`, at most `limits.maxSourceBytes` bytes; throws ScenarioError. */
export function readSource(path: string, limits: Limits, advice: LimitAdvice): string {
  const expected = 'a readable scenario file (.yaml or .json)';
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'an unreadable file';
    return refuse(path, expected, FAILURES[code] ?? code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      return refuse(path, 'a regular file', kindOf(stats), stats.isDirectory() ? undefined : 'tcpsim reads scenarios from regular files only; save it to a file first');
    }
    const max = limits.maxSourceBytes;
    const tooBig = (found: string): never => {
      const hint = advice('maxSourceBytes', stats.size > max ? stats.size : Number.NaN);
      return refuse(path, `a file of at most ${max.toLocaleString('en-US')} bytes (limit maxSourceBytes)`, found, hint);
    };
    if (stats.size > max) tooBig(`${stats.size.toLocaleString('en-US')} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      // the file grew (or its size was not known): stop at once
      if (total > max) tooBig(`more than ${max.toLocaleString('en-US')} bytes`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'an unreadable file';
    return refuse(path, expected, FAILURES[code] ?? `a read error (${code})`);
  } finally {
    closeSync(fd);
  }
}
