/** The library for programs in virtual time: simulations, processes, connections, errors, assertions. */
export { createSim, Sim } from './sim.js';
export type { SimOptions, RunOptions, TaskFailure } from './sim.js';
export { SimProcess } from './process.js';
export type { ProcessOptions, ListenOptions, ConnectOptions, Listener } from './process.js';
export { Conn } from './conn.js';
export type { WaitOptions } from './conn.js';
export type { AcceptErrorAction, ConnectionHandler, AcceptCounts } from './acceptLoop.js';
export type { CloseFault, CloseFaultKind } from './closeFaults.js';
export type { Duration } from './duration.js';
export { SimError, isSimError } from './simError.js';
export type { SimErrorCode, SimSyscall } from './simError.js';
export { expectNoLeak, expectAllClosed, expectFdsWithin, heldConnections, liveConnections, closeWaitSockets, describeSockets, LeakError } from './leaks.js';
export type { LeakOptions } from './leaks.js';
export { runClient, describeBehaviour, DEFAULT_REQUEST } from './clientBehaviour.js';
export type { ClientBehaviour, ClientPlan, ClientSettings } from './clientBehaviour.js';
