/**
 * The safety rule of real mode: traffic goes only to loopback (127.0.0.0/8, ::1, IPv4-mapped
 * 127.x) or to addresses inside a network namespace this run created itself. Everything that
 * opens a socket calls `assertSafeAddress` first.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Where the traffic would go. */
export interface AddressContext {
  /** The namespace the socket lives in, if any. */
  readonly netns?: string | undefined;
  /** Namespaces this run created (only those make non-loopback addresses acceptable). */
  readonly ownNamespaces?: ReadonlySet<string> | undefined;
  /** What is being done, for the error message ("connect", "listen", scenario host "server"). */
  readonly purpose?: string | undefined;
}

/** Thrown when real mode is asked to send traffic somewhere it must not. */
export class UnsafeAddressError extends Error {
  override readonly name = 'UnsafeAddressError';
}

const RULE = 'real mode sends traffic only to 127.0.0.0/8, ::1 (or ::ffff:127.x), or inside a network namespace the run created';

function expandIpv6(addr: string): number[] | undefined {
  let text = addr.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (isIPv4(maybeV4)) {
    const [a = 0, b = 0, c = 0, d = 0] = maybeV4.split('.').map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    text = `${text.slice(0, lastColon + 1)}0:0`; // keep group count, patch below
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const zeros = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(Math.max(zeros, 0)).fill(0), ...rest];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  if (tail.length === 2) groups.splice(6, 2, ...tail);
  return groups;
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104 — the loopback addresses of this host. */
export function isLoopbackAddress(addr: string): boolean {
  if (isIPv4(addr)) return addr.split('.')[0] === '127';
  if (!isIPv6(addr)) return false;
  const groups = expandIpv6(addr);
  if (groups === undefined) return false;
  const zeroUpTo = (n: number): boolean => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(7) && groups[7] === 1) return true;
  return zeroUpTo(5) && groups[5] === 0xffff && (groups[6] ?? 0) >> 8 === 127;
}

/** Throws UnsafeAddressError unless `addr` is loopback or the socket lives in a namespace the run created. */
export function assertSafeAddress(addr: string, ctx: AddressContext = {}): void {
  const what = ctx.purpose === undefined ? '' : ` (${ctx.purpose})`;
  if (!isIPv4(addr) && !isIPv6(addr)) {
    throw new UnsafeAddressError(`"${addr}"${what} is not an IP address; write 127.0.0.1 or ::1, not a host name. Rule: ${RULE}.`);
  }
  if (isLoopbackAddress(addr)) return;
  if (ctx.netns !== undefined && ctx.ownNamespaces?.has(ctx.netns) === true) return;
  const where = ctx.netns === undefined ? 'in the host namespace' : `in namespace "${ctx.netns}", which this run did not create`;
  throw new UnsafeAddressError(`refusing address ${addr}${what} ${where}. Rule: ${RULE}.`);
}
