/**
 * tcpsim's library API. The CLI is built on exactly this.
 */

/** Canonical state names and their netstat / ss / RFC / /proc spellings. */
export * from './model/states.js';
/** The endpoint machine (xstate v5), its compiled table and the derived state graph. */
export { createEndpointMachine, ENDPOINT_EVENTS, ENDPOINT_ACTIONS, TIMERS } from './model/endpointMachine.js';
export type { EndpointEvent, EndpointAction, EndpointFeatures, TimerName } from './model/endpointMachine.js';
export { compileTable, tableFor, decodeEffects, xstateStep } from './model/compileTable.js';
export type { TransitionTable, Effects } from './model/compileTable.js';
export { endpointGraph } from './model/endpointGraph.js';
/** OS profiles. */
export { LINUX, RFC9293, PROFILES, resolveProfile, featuresOf } from './model/profile.js';
export type { Profile } from './model/profile.js';
/** Segments and classification. */
export * from './model/segment.js';
export { classify } from './model/classify.js';
/** The engine: a World of hosts, kernels and processes over a virtual clock. */
export { World } from './sim/world.js';
export type { WorldOptions, ProcessOptions, SocketView, ReadResult, HeldSegment } from './sim/world.js';
export { simulate, buildWorld } from './sim/simulate.js';
export type { SimulationResult, Sample, FinalState, ExpectationResult, SimulateOptions } from './sim/simulate.js';
export type { Trace, TraceEvent, SocketInfo, Errno } from './sim/trace.js';
/** Scenarios. */
export { loadScenario, scenarioFromObject, shippedScenarioNames, loadScenarioFile, loadScenarioText, ScenarioError, formatScenarioError, parseDuration, formatDuration } from './scenario/index.js';
export type { Scenario } from './scenario/types.js';
export type { ScenarioObject, LoadOptions } from './scenario/index.js';
/** Reporters. */
export { rfcTable } from './report/rfcTable.js';
export { mermaidSequence, mermaidStateDiagram } from './report/mermaid.js';
export { dotStateDiagram } from './report/dot.js';
export { figure5Graph } from './report/figure5Graph.js';
export type { StateGraph, StateEdge } from './report/stateGraph.js';
export { toPcapng } from './report/pcapng.js';
export { runJson } from './report/runJson.js';
export { runText } from './report/runText.js';
/** Programs as async functions in virtual time, leak assertions, scenarios by name. */
export * from './api/index.js';
