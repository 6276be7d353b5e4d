/**
 * One connection between a client and a server, run by the real engine (src/sim's World, with
 * the compiled endpoint machine of src/model) with the network in the student's hands: the
 * World holds every segment (its manual network) and this driver delivers each one LATENCY
 * later, unless the student chose to drop, delay or duplicate it. The two programs are short
 * scripts of socket calls, chosen by the close the student wants to see. Same choices, same
 * trace: nothing here is random or reads a clock. Pure TypeScript: runs in the page and in Node.
 */
import { resolveProfile, type Profile } from '../../src/model/profile.js';
import type { ReadAmount } from '../../src/scenario/types.js';
import type { Trace } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';

/** How the two programs close the connection. */
export type CloseStyle = 'normal' | 'server-forgets-close' | 'unread-data' | 'simultaneous' | 'half-close';

/** What the student does to one segment (counted from 1 in the order they are sent). */
export type Intervention = { readonly kind: 'drop' } | { readonly kind: 'delay'; readonly by: number } | { readonly kind: 'duplicate' };

/** A lesson: whose timers, which close, and what happens to which segments. */
export interface LessonChoices {
  readonly profile: 'linux' | 'rfc9293';
  readonly close: CloseStyle;
  /** By segment number (1 = the first segment sent). */
  readonly interventions: ReadonlyMap<number, Intervention>;
}

/** A run of a lesson. */
export interface LessonRun {
  readonly trace: Trace;
  /** When the run ended (µs): nothing was left to happen, or the cap. */
  readonly endAt: number;
  /** Segment ids in the order sent: segment number n is sendOrder[n - 1]. */
  readonly sendOrder: readonly number[];
  readonly profile: Profile;
}

/** One-way delay of the lesson's network: 5 ms. */
export const LATENCY = 5_000;
/** A delayed segment arrives this much later than it would have: 1 s. */
export const DELAY = 1_000_000;
/** A duplicate's second copy arrives this much after the first: 2 ms. */
export const DUPLICATE_GAP = 2_000;
/** The longest a lesson runs: 10 virtual minutes (rfc9293's TIME_WAIT is 4). */
export const LESSON_CAP = 600_000_000;
/** Addresses (TEST-NET-1, RFC 5737) and the server's port. */
export const CLIENT_ADDRESS = '192.0.2.1';
export const SERVER_ADDRESS = '192.0.2.2';
export const SERVER_PORT = 80;

type Op =
  | { readonly op: 'connect' }
  | { readonly op: 'accept' }
  | { readonly op: 'write'; readonly data: string }
  | { readonly op: 'read'; readonly amount: ReadAmount }
  | { readonly op: 'sleepUntil'; readonly at: number }
  | { readonly op: 'sleep'; readonly us: number }
  | { readonly op: 'close' }
  | { readonly op: 'shutdown' };

const REQUEST = 'GET / HTTP/1.0\n';
const REPLY = 'HTTP/1.0 200 OK\n';
const LINE: ReadAmount = { kind: 'line' };
const EOF: ReadAmount = { kind: 'eof' };
/** When both programs close in the simultaneous close (the exchange is over by then). */
const BOTH_CLOSE_AT = 200_000;

/** The client's and the server's scripts for a close style. */
export function scripts(close: CloseStyle): { client: Op[]; server: Op[] } {
  const connect: Op = { op: 'connect' };
  const accept: Op = { op: 'accept' };
  switch (close) {
    case 'normal':
      return {
        client: [connect, { op: 'write', data: REQUEST }, { op: 'read', amount: LINE }, { op: 'close' }],
        // the server closes 100 ms after the client's FIN: its delayed ACK (40 ms) goes first, as in RFC 9293 Figure 12
        server: [accept, { op: 'read', amount: LINE }, { op: 'write', data: REPLY }, { op: 'read', amount: EOF }, { op: 'sleep', us: 100_000 }, { op: 'close' }],
      };
    case 'server-forgets-close':
      return {
        client: [connect, { op: 'write', data: REQUEST }, { op: 'read', amount: LINE }, { op: 'close' }],
        server: [accept, { op: 'read', amount: LINE }, { op: 'write', data: REPLY }, { op: 'read', amount: EOF }],
      };
    case 'unread-data':
      return {
        client: [connect, { op: 'write', data: REQUEST + 'Host: example\n' }, { op: 'read', amount: LINE }, { op: 'read', amount: EOF }, { op: 'close' }],
        server: [accept, { op: 'read', amount: LINE }, { op: 'write', data: REPLY }, { op: 'close' }],
      };
    case 'simultaneous':
      return {
        client: [connect, { op: 'write', data: REQUEST }, { op: 'read', amount: LINE }, { op: 'sleepUntil', at: BOTH_CLOSE_AT }, { op: 'close' }],
        server: [accept, { op: 'read', amount: LINE }, { op: 'write', data: REPLY }, { op: 'sleepUntil', at: BOTH_CLOSE_AT }, { op: 'close' }],
      };
    case 'half-close':
      return {
        client: [connect, { op: 'write', data: REQUEST }, { op: 'shutdown' }, { op: 'read', amount: LINE }, { op: 'read', amount: EOF }, { op: 'close' }],
        server: [accept, { op: 'read', amount: LINE }, { op: 'read', amount: EOF }, { op: 'write', data: REPLY }, { op: 'close' }],
      };
  }
}

/** A program: runs its script against the World, parking on a blocking call until the kernel wakes it. */
class Program {
  private pc = 0;
  private fd = -1;

  constructor(
    private readonly world: World,
    private readonly process: number,
    private readonly script: readonly Op[],
    private readonly listenFd: number,
  ) {}

  wake(): void {
    this.run();
  }

  run(): void {
    const { world, process: p } = this;
    while (this.pc < this.script.length) {
      const op = this.script[this.pc]!;
      switch (op.op) {
        case 'connect': {
          if (this.fd < 0) {
            const fd = world.connect(p, SERVER_ADDRESS, SERVER_PORT);
            if (typeof fd === 'string') return;
            this.fd = fd;
          }
          const outcome = world.connectOutcome(p, this.fd);
          if (outcome === 'pending') return world.waitOn(p, this.fd, this);
          if (outcome !== 'connected') return;
          break;
        }
        case 'accept': {
          const fd = world.accept(p, this.listenFd);
          if (fd === null) return world.waitOn(p, this.listenFd, this);
          if (typeof fd === 'string') return;
          this.fd = fd;
          break;
        }
        case 'write':
          if (typeof world.write(p, this.fd, op.data) === 'string') return;
          break;
        case 'read': {
          const got = world.read(p, this.fd, op.amount);
          if (got === null) return world.waitOn(p, this.fd, this);
          if (typeof got === 'string') return;
          if (op.amount.kind === 'eof' && !got.eof) return world.waitOn(p, this.fd, this);
          break;
        }
        case 'sleepUntil':
          if (world.now < op.at) {
            world.at(op.at, () => this.run());
            return;
          }
          break;
        case 'sleep':
          this.pc++;
          world.at(world.now + op.us, () => this.run());
          return;
        case 'close':
          world.close(p, this.fd);
          break;
        case 'shutdown':
          world.shutdown(p, this.fd);
          break;
      }
      this.pc++;
    }
  }
}

/** Runs a lesson to its end. */
export function runLesson(choices: LessonChoices): LessonRun {
  const profile = resolveProfile(choices.profile);
  const world = new World({ profile, seed: 1, trace: true, manualNetwork: true });
  const clientHost = world.addHost('client', CLIENT_ADDRESS);
  const serverHost = world.addHost('server', SERVER_ADDRESS);
  const server = world.addProcess({ name: 'server', host: serverHost, nofile: 1024, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host: clientHost, nofile: 1024, baselineFds: 3 });
  const listenFd = world.listen(server, SERVER_PORT, 128);
  if (typeof listenFd === 'string') throw new Error(`lesson: listen failed: ${listenFd}`);
  const { client: clientScript, server: serverScript } = scripts(choices.close);
  const sendOrder: number[] = [];
  const scheduled = new Set<number>();
  /** Delivers (or drops, delays, duplicates) each segment the World holds that has no fate yet. */
  const route = (): void => {
    for (const held of world.heldSegments()) {
      if (scheduled.has(held.segmentId)) continue;
      scheduled.add(held.segmentId);
      sendOrder.push(held.segmentId);
      const what = choices.interventions.get(sendOrder.length);
      const id = held.segmentId;
      const indexOf = (): number => world.heldSegments().findIndex((h) => h.segmentId === id);
      const deliverAt = (at: number, copy: boolean): void =>
        world.at(at, () => {
          const i = indexOf();
          if (i < 0) return;
          if (copy) world.duplicateHeld(i);
          else world.deliverHeld(i);
          route();
        });
      if (what?.kind === 'drop') {
        world.dropHeld(indexOf());
      } else if (what?.kind === 'duplicate') {
        deliverAt(world.now + LATENCY, true);
        deliverAt(world.now + LATENCY + DUPLICATE_GAP, false);
      } else {
        deliverAt(world.now + LATENCY + (what?.kind === 'delay' ? what.by : 0), false);
      }
    }
  };
  new Program(world, server, serverScript, listenFd).run();
  new Program(world, client, clientScript, -1).run();
  route();
  while (!world.idle && world.nextEventTime() <= LESSON_CAP) {
    world.step();
    route();
  }
  const events = world.trace().events;
  const endAt = Math.max(world.now, events[events.length - 1]?.at ?? 0);
  return { trace: world.trace(), endAt, sendOrder, profile };
}
