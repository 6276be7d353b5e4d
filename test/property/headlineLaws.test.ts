/**
 * The headline laws over random client counts (1–5000), fd limits (16–2048), arrival and
 * close times: a server that never closes piles up CLOSE_WAIT until EMFILE; a server that closes
 * returns to its baseline. The checks live in harness/laws.ts.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { acceptRetryArb, backlogArb, clientGroupsArb, fdLimitArb, seedArb } from './harness/lawArbitraries.js';
import { closingServerLaw, neverClosingLibuvLaw, neverClosingPosixLaw } from './harness/laws.js';
import { params } from './harness/runs.js';
import type { LawScenario } from './harness/scenarios.js';

const SECOND = 1_000_000;

const neverClosingServer = (acceptPolicy: 'posix' | 'libuv'): fc.Arbitrary<LawScenario> =>
  fc.record({ seed: seedArb, fd: fdLimitArb, backlog: backlogArb, acceptRetry: acceptRetryArb, clients: clientGroupsArb() }).map(
    ({ seed, fd, backlog, acceptRetry, clients }): LawScenario => ({
      seed,
      nofile: fd.nofile,
      baselineFds: fd.baselineFds,
      acceptPolicy,
      backlog,
      acceptRetry,
      server: { kind: 'never-closes' },
      clients,
      until: 0,
    }),
  );

const closingServer: fc.Arbitrary<LawScenario> = fc
  .record({
    seed: seedArb,
    profile: fc.constantFrom('linux' as const, 'rfc9293' as const),
    fd: fdLimitArb,
    backlog: backlogArb,
    acceptRetry: fc.integer({ min: 100_000, max: 2 * SECOND }),
    server: fc.oneof(
      fc.constant({ kind: 'closes' as const }),
      fc.record({ kind: fc.constant('closes-after' as const), delay: fc.integer({ min: 0, max: 20 * SECOND }), ending: fc.constant('close' as const) }),
    ),
    clients: clientGroupsArb(),
    acceptPolicy: fc.constantFrom('posix' as const, 'libuv' as const),
  })
  .map(({ fd, ...rest }): LawScenario => ({ ...rest, nofile: fd.nofile, baselineFds: fd.baselineFds, until: 0 }));

describe('a server that never closes', () => {
  it('posix: CLOSE_WAIT never decreases, equals accepted + queued at quiescence, and EMFILE comes as soon as nofile − baseline are accepted', () => {
    fc.assert(fc.property(neverClosingServer('posix'), neverClosingPosixLaw), params(25));
  });

  it('libuv: the connections beyond nofile − baseline are accepted and closed at once, the rest stay in CLOSE_WAIT', () => {
    fc.assert(fc.property(neverClosingServer('libuv'), neverClosingLibuvLaw), params(25));
  });
});

describe('a server that closes', () => {
  it('takes every socket to CLOSED within the bound, returns fds to baseline, and never sees EMFILE below the limit', () => {
    fc.assert(fc.property(closingServer, closingServerLaw), params(25));
  });
});
