import { describe, expect, it } from 'vitest';
import { measureAsyncLifecycle } from '../../src/bench/asyncLifecycle.js';
import { measureTcpsim } from '../../src/bench/measureTcpsim.js';

describe('bench-lifecycle as async programs', () => {
  it('does the same engine work as the scenario runner: every connection CLOSED, the same events (the runner has one more: its server starts from an event)', async () => {
    const yaml = measureTcpsim(400);
    const lib = await measureAsyncLifecycle(400);
    expect(yaml.ok).toBe(true);
    expect(lib.ok).toBe(true);
    expect(lib.connections).toBe(400);
    expect(lib.events).toBe(Number(yaml.events) - 1);
  });
});
