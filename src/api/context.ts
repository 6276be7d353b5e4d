/**
 * What a program's pieces (connections, accept loops, processes) need from the simulation that
 * runs them, without importing it: the World, the hand-off of settled awaits to the run loop,
 * the record of tasks that died, and where a connect goes.
 */
import type { KeepaliveOptions } from '../sim/socket.js';
import type { World } from '../sim/world.js';

/** The simulation as its programs see it. */
export interface ProgramContext {
  readonly world: World;
  /** A promise a program awaits has settled: the run loop drains the continuations before the next event. */
  woke(): void;
  /** A program task ended with an error it did not catch. */
  taskFailed(process: string, error: unknown): void;
  /** The address a connect to `port` goes to: the named process's or address `to`, else the process listening on `port`. */
  addressOf(port: number, to: string | undefined, from: number): string;
  /** Process `process` listens on `port` (where later connects to the port go). */
  listening(port: number, process: number): void;
  /** Resolves after `micros` of virtual time. */
  sleep(micros: number): Promise<void>;
}

/** What a process's runtime does on its own, and its place in the World. */
export interface ProcessTraits {
  readonly index: number;
  readonly name: string;
  /** Node without allowHalfOpen: reading the end of the stream closes the connection. */
  readonly closeOnEof: boolean;
  /** CPython: a connection the handler drops unclosed is closed when the handler ends. */
  readonly closeWhenDone: boolean;
  /** SO_KEEPALIVE set on every connection it opens or accepts (Go), or null. */
  readonly keepalive: KeepaliveOptions | null;
  /** The process's fd count may have grown: update its peak. */
  notePeak(): void;
}
