/** The engine's trace of a shipped scenario, for the golden tests. */
import { loadScenarioFile } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';
import type { Trace } from '../../src/sim/trace.js';

/** The trace of connection 0 of a shipped scenario, as `tcpsim trace NAME` records it. */
export function engineTrace(name: string): Trace {
  return simulate(loadScenarioFile(`scenarios/${name}.yaml`), { trace: (conn) => conn === 0 }).world.trace();
}
