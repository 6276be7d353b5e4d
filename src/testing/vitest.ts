/**
 * Vitest matchers on a simulation (import 'tcpsim/vitest' once, e.g. in a setup file or the test):
 * `expect(sim).toHaveNoCloseWait()`, `expect(sim).toHaveNoLeak()`, `expect(sim).toStayWithinFds(n)`.
 * A failure names the offending connections and draws the first as an RFC 9293 table. The core
 * library never imports vitest; only this subpath does.
 */
import { expect } from 'vitest';
import { closeWaitSockets, describeSockets, expectFdsWithin, expectNoLeak, LeakError, type LeakOptions } from '../api/leaks.js';
import { Sim } from '../api/sim.js';

/** The matchers this module adds. */
export interface TcpsimMatchers<R = unknown> {
  /** No socket of the simulation (or of `options.process`) is in CLOSE_WAIT. */
  toHaveNoCloseWait(options?: LeakOptions): R;
  /** No live process still holds an fd on a connection (see expectNoLeak). */
  toHaveNoLeak(options?: LeakOptions): R;
  /** No process (or `options.process`) held more than `limit` fds at once during the run. */
  toStayWithinFds(limit: number, options?: LeakOptions): R;
}

declare module 'vitest' {
  // the same type parameter as vitest's own declaration
  interface Matchers<T = any> extends TcpsimMatchers<T> {}
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function asSim(received: unknown, matcher: string): Sim {
  if (received instanceof Sim) return received;
  throw new TypeError(`${matcher}: expected a simulation from createSim(), got ${received === null ? 'null' : typeof received}`);
}

/** Runs an assertion that throws LeakError as a matcher. */
function fromAssertion(matcher: string, negated: string, check: () => void): MatcherResult {
  try {
    check();
  } catch (e) {
    if (e instanceof LeakError) return { pass: false, message: () => `${matcher}: ${e.message}` };
    throw e;
  }
  return { pass: true, message: () => `${matcher}: ${negated}` };
}

/** The matchers, for expect.extend in setups that want them under other names. */
export const tcpsimMatchers = {
  toHaveNoCloseWait(received: unknown, options: LeakOptions = {}): MatcherResult {
    const sim = asSim(received, 'toHaveNoCloseWait');
    const waiting = closeWaitSockets(sim, options);
    return {
      pass: waiting.length === 0,
      message: () =>
        waiting.length === 0
          ? 'toHaveNoCloseWait: expected a socket in CLOSE_WAIT, found none'
          : `toHaveNoCloseWait: expected no socket in CLOSE_WAIT, found ${waiting.length} at ${sim.now} ms:\n${describeSockets(sim, waiting, options.tables ?? 1)}`,
    };
  },
  toHaveNoLeak(received: unknown, options: LeakOptions = {}): MatcherResult {
    const sim = asSim(received, 'toHaveNoLeak');
    return fromAssertion('toHaveNoLeak', 'expected a leaked connection, found none', () => expectNoLeak(sim, options));
  },
  toStayWithinFds(received: unknown, limit: number, options: LeakOptions = {}): MatcherResult {
    const sim = asSim(received, 'toStayWithinFds');
    return fromAssertion('toStayWithinFds', `expected a process above ${limit} fds, found none`, () => expectFdsWithin(sim, limit, options));
  },
};

expect.extend(tcpsimMatchers);
