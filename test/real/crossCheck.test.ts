/**
 * The real-vs-model suite: each scenario under scenarios/real/ runs on the kernel (node:net on
 * loopback; --netns ones in a fresh namespace) and must agree 100% with the model, socket by
 * socket at every sample, kernel timers within 1 s, end-of-run counts equal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realCheck, type RealCheckResult } from '../../src/real/realCheck.js';
import { crossCheckText } from '../../src/real/crossCheckText.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { osSkipReason, skipOs } from './osSupport.js';

const notLinux = process.platform !== 'linux';

async function check(file: string, netns = false): Promise<RealCheckResult> {
  const result = await realCheck(loadScenarioFile(`scenarios/real/${file}.yaml`), { netns, processHooks: false });
  if (!result.check.ok) throw new Error(crossCheckText(result));
  expect(result.check.agreement).toBe(1);
  return result;
}

function lastOs(result: RealCheckResult): Record<string, number> {
  return result.check.samples.at(-1)?.os ?? {};
}

describe.skipIf(notLinux)(`real sockets agree with the model${notLinux ? ' (skipped: real mode needs Linux)' : ''}`, () => {
  it('active close: the closer holds TIME_WAIT, its remaining time matches the model', async () => {
    const result = await check('active-close');
    expect(lastOs(result)).toEqual({ LISTEN: 1, TIME_WAIT: 1 });
    expect(result.check.timers.length).toBeGreaterThan(0);
  }, 20_000);

  it('passive close: CLOSE_WAIT until the program closes, then gone; the server in TIME_WAIT', async () => {
    const result = await check('passive-close');
    expect(result.check.samples.some((s) => s.os.CLOSE_WAIT === 1 && s.os.FIN_WAIT_2 === 1)).toBe(true);
    expect(lastOs(result)).toEqual({ LISTEN: 1, TIME_WAIT: 1 });
  }, 20_000);

  it('server that never closes keeps CLOSE_WAIT; the clients sit in orphaned FIN_WAIT_2', async () => {
    const result = await check('server-forgets-close');
    expect(lastOs(result)).toEqual({ LISTEN: 1, FIN_WAIT_2: 3, CLOSE_WAIT: 3 });
    expect(result.check.timers.some((t) => t.state === 'FIN_WAIT_2')).toBe(true);
  }, 20_000);

  it('close with unread data sends RST: no TIME_WAIT, the client gets ECONNRESET', async () => {
    const result = await check('unread-close');
    expect(result.check.samples.every((s) => (s.os.TIME_WAIT ?? 0) === 0)).toBe(true);
    expect(result.run.processes.find((p) => p.name === 'client')?.errors.ECONNRESET).toBe(1);
  }, 20_000);

  it('half close lets the peer keep writing: FIN_WAIT_2 without a timer, then TIME_WAIT', async () => {
    const result = await check('half-close');
    expect(lastOs(result)).toEqual({ LISTEN: 1, TIME_WAIT: 1 });
  }, 20_000);

  it('EMFILE under prlimit: libuv accepts 45, the rest are accepted and closed at once', async () => {
    const result = await check('emfile-node');
    const server = result.run.processes.find((p) => p.name === 'server');
    expect(server?.limitedTo).toBe(64);
    expect(server?.accepted).toBe(45);
    const client = result.run.processes.find((p) => p.name === 'client');
    expect(client?.eofs).toBe(15);
    expect(lastOs(result)).toEqual({ LISTEN: 1, ESTABLISHED: 90, TIME_WAIT: 15 });
  }, 20_000);
});

describe.skipIf(skipOs)(`real sockets in a namespace${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  it('an orphaned FIN_WAIT_2 expires after tcp_fin_timeout=2, straight to CLOSED', async () => {
    const result = await check('orphan-fin-wait-2', true);
    expect(result.run.netns).not.toBeNull();
    expect(result.run.tunables.finTimeoutS).toBe(2);
    expect(result.check.samples.some((s) => s.os.FIN_WAIT_2 === 1)).toBe(true);
    expect(lastOs(result)).toEqual({ LISTEN: 1, CLOSE_WAIT: 1 });
  }, 20_000);

  it('a profile field a sysctl decides is written in the namespace: profile.finTimeout 2s runs as tcp_fin_timeout=2', async () => {
    const yaml = readFileSync('scenarios/real/orphan-fin-wait-2.yaml', 'utf8').replace('sysctls: { net.ipv4.tcp_fin_timeout: 2 }', 'profile: { finTimeout: 2s }');
    const dir = mkdtempSync(join(tmpdir(), 'tcpsim-profile-'));
    try {
      writeFileSync(join(dir, 'orphan.yaml'), yaml);
      const result = await realCheck(loadScenarioFile(join(dir, 'orphan.yaml')), { netns: true, processHooks: false });
      if (!result.check.ok) throw new Error(crossCheckText(result));
      expect(result.run.notes).toContain(`set in namespace ${result.run.netns ?? ''}: tcp_fin_timeout=2 (profile.finTimeout)`);
      expect(result.run.modelSysctls['net.ipv4.tcp_fin_timeout']).toBe(2);
      expect(lastOs(result)).toEqual({ LISTEN: 1, CLOSE_WAIT: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('a lost FIN is retransmitted (probe, then RTO backoff) and ACKed once the drops stop', async () => {
    const result = await check('lost-fin', true);
    expect(result.check.samples.filter((s) => s.os.FIN_WAIT_1 === 1).length).toBeGreaterThanOrEqual(2);
    expect(lastOs(result)).toEqual({ LISTEN: 1, FIN_WAIT_2: 1, CLOSE_WAIT: 1 });
  }, 20_000);

  it('a blocking accept loop at its fd limit with a tiny backlog: EMFILE with nothing queued, then retries as fds come back, 10 runs of 10 at 100%', async () => {
    for (let run = 0; run < 10; run++) {
      const result = await check('posix-accept-at-limit', true);
      const server = result.run.processes.find((p) => p.name === 'server');
      expect(server?.runtime).toBe('posix');
      // accept(2) takes the fd first: 3 EMFILE, one of them with nothing queued (a queue-first model counts 2)
      expect(server?.errors.EMFILE).toBe(3);
      expect(server?.accepted).toBe(8);
    }
  }, 120_000);
});
