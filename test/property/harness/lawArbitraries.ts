/** Arbitraries of the headline laws: client groups, fd limits, accept policies. */
import fc from 'fast-check';
import type { ClientGroup } from './scenarios.js';

const SECOND = 1_000_000;

/** 1–4 groups of clients, 1–5000 connections in all, arriving over up to 30 s, holding up to 40 s. */
export const clientGroupsArb = (options: { maxPerGroup?: number; minHold?: number; maxArrival?: number } = {}): fc.Arbitrary<ClientGroup[]> =>
  fc.array(
    fc.record({
      connections: fc.integer({ min: 1, max: options.maxPerGroup ?? 1250 }),
      start: fc.integer({ min: 0, max: Math.floor((options.maxArrival ?? 30 * SECOND) / 3) }),
      ramp: fc.integer({ min: 0, max: Math.floor(((options.maxArrival ?? 30 * SECOND) * 2) / 3) }),
      hold: fc.integer({ min: options.minHold ?? 0, max: (options.minHold ?? 0) + 40 * SECOND }),
    }),
    { minLength: 1, maxLength: 4 },
  );

/** RLIMIT_NOFILE 16–2048 with a baseline of 3–12 fds. */
export const fdLimitArb = fc.record({
  nofile: fc.integer({ min: 16, max: 2048 }),
  baselineFds: fc.integer({ min: 3, max: 12 }),
});

/** Listen backlog. */
export const backlogArb = fc.integer({ min: 1, max: 256 });

/** How long a posix server waits before retrying accept() after EMFILE; null = never retries. */
export const acceptRetryArb = fc.option(fc.integer({ min: 100_000, max: 2 * SECOND }), { nil: null });

/** A run seed. */
export const seedArb = fc.integer({ min: 1, max: 0x7fffffff });
