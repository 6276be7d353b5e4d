/**
 * The child process that runs one scenario process's program on real node:net sockets (one
 * child per process, so each can have its own namespace and `prlimit --nofile`). It imports
 * only Node built-ins: the parent may start it from a lone transpiled copy.
 *
 * Step ⇒ socket call: connect ⇒ net.connect (bound to the process's host address, paused at
 * once so nothing is read from the kernel before a read step), write ⇒ write(), read ⇒
 * resume() until the step's amount is buffered, then pause(); shutdown ⇒ end() (SHUT_WR),
 * close ⇒ destroy() (close(2)), abort ⇒ resetAndDestroy() (SO_LINGER 0 + close: RST),
 * exit ⇒ process exit. Every socket is `allowHalfOpen` (Node must never end() on its own) and a
 * server uses `pauseOnConnect`, so unread data stays in the kernel. Node reads from the kernel
 * in chunks (up to 64 KiB), so a read step can pull more than it consumes; a close() while such
 * read-but-unconsumed bytes sit in Node is issued as resetAndDestroy(), which is what close(2)
 * does when they are still in the kernel (RFC 2525 §2.17), and reported as `reset-on-close`.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { RunnerMessage, RunnerSpec, RunnerTarget } from './runnerProtocol.js';
import type { Step } from '../scenario/types.js';

let t0 = Date.now();

function send(message: RunnerMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function sinceT0(): number {
  return Date.now() - t0;
}

/** The largest lateness of a timer of this program so far, ms; reported when it grows. */
let latestLate = 0;

/** Notes how late a timer due at `dueMs` (epoch ms) fired; says so to the parent when it is a new worst. */
function fired(dueMs: number): void {
  const late = performance.timeOrigin + performance.now() - dueMs;
  if (late > latestLate + 0.5) {
    latestLate = late;
    send({ ev: 'late', ms: Math.round(late * 10) / 10, at: sinceT0() });
  }
}

/** Period of the heartbeat timer, ms. */
const HEARTBEAT_MS = 10;

/**
 * A timer every 10 ms whose lateness says how long this process waited to run: a program that
 * reacts to a socket event (the peer's FIN, say) waits as long on a loaded machine, and that
 * wait is not a timer of its own to measure.
 */
function heartbeat(): void {
  const due = performance.timeOrigin + performance.now() + HEARTBEAT_MS;
  setTimeout(() => {
    fired(due);
    heartbeat();
  }, HEARTBEAT_MS);
}

function sleepMs(ms: number): Promise<void> {
  const due = performance.timeOrigin + performance.now() + Math.max(0, ms);
  return new Promise((resolve) =>
    setTimeout(() => {
      fired(due);
      resolve();
    }, Math.max(0, ms)),
  );
}

/** One connection's socket with the program-side read buffer. */
class Conn {
  buffered = '';
  eof = false;
  error: string | null = null;
  closed = false;
  private wake: (() => void) | null = null;

  constructor(
    readonly socket: Socket,
    readonly conn: number | null,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.notify();
    });
    socket.on('end', () => {
      this.eof = true;
      send({ ev: 'eof', conn: this.conn, at: sinceT0() });
      this.notify();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err.code ?? err.message;
      send({ ev: 'error', conn: this.conn, code: this.error, at: sinceT0() });
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }
}

/**
 * Reports the local port the kernel chose as soon as connect(2) has been issued (a tick after
 * net.connect for an IP literal), before the handshake completes: a client whose SYN is dropped
 * (full backlog) never emits 'connect', and the model must still put it on the same port.
 * Node's public localPort stays undefined while connecting, so this asks the handle directly.
 */
function reportLocalPort(socket: Socket, conn: number): void {
  let tries = 0;
  const poll = (): void => {
    const out: { address?: string; port?: number } = {};
    const handle = (socket as unknown as { _handle?: { getsockname?: (o: object) => number } | null })._handle;
    if (handle?.getsockname?.(out) === 0 && typeof out.port === 'number' && out.port > 0) {
      send({ ev: 'connecting', conn, localAddress: out.address ?? '', localPort: out.port, at: sinceT0() });
      return;
    }
    if (++tries < 50 && !socket.destroyed) setImmediate(poll);
  };
  setImmediate(poll);
}

/** Consumes what a read step asks; false when the connection failed (the task ends there). */
async function readStep(c: Conn, amount: Extract<Step, { op: 'read' }>['amount']): Promise<boolean> {
  for (;;) {
    let take = -1;
    if (amount.kind === 'line') {
      const nl = c.buffered.indexOf('\n');
      if (nl >= 0) take = nl + 1;
    } else if (amount.kind === 'bytes' && c.buffered.length >= amount.count) take = amount.count;
    if (take < 0 && c.eof) take = c.buffered.length;
    if (take >= 0) {
      c.buffered = c.buffered.slice(take);
      if (amount.kind !== 'eof' || c.eof) {
        c.socket.pause();
        return true;
      }
    }
    if (c.error !== null || c.closed) return false;
    c.socket.resume();
    await c.changed();
  }
}

/** Runs `steps` on one connection (`c` undefined for a client before its connect step). */
async function runTask(steps: readonly Step[], spec: RunnerSpec, start: Conn | undefined, conn: number | null): Promise<void> {
  let c = start;
  for (const step of steps) {
    switch (step.op) {
      case 'connect': {
        const target: RunnerTarget | undefined = 'address' in step.to ? step.to : spec.targets[step.to.process];
        if (target === undefined) throw new Error(`connect: no target ${JSON.stringify(step.to)}`);
        const socket = createConnection({ host: target.address, port: target.port, localAddress: spec.address, allowHalfOpen: true });
        socket.pause(); // nothing is read from the kernel before a read step
        c = new Conn(socket, conn);
        reportLocalPort(socket, conn ?? -1);
        const current = c;
        const connected = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('close', () => resolve(false));
        });
        if (!connected) return; // a failed connect closes its fd; the error was reported
        send({ ev: 'connected', conn: conn ?? -1, localAddress: socket.localAddress ?? '', localPort: socket.localPort ?? 0, at: sinceT0() });
        if (current.error !== null) return;
        break;
      }
      case 'write':
        if (c === undefined || c.error !== null || c.closed) return;
        c.socket.write(step.data, 'latin1');
        break;
      case 'read':
        if (c === undefined || !(await readStep(c, step.amount))) return;
        break;
      case 'sleep':
        await sleepMs(step.duration / 1000);
        break;
      case 'shutdown':
        if (c === undefined || c.closed) return;
        c.socket.end();
        break;
      case 'close':
        if (c === undefined) return;
        if (c.buffered.length > 0 && !c.closed) {
          send({ ev: 'reset-on-close', conn, unread: c.buffered.length, at: sinceT0() });
          c.socket.resetAndDestroy();
        } else c.socket.destroy();
        c = undefined;
        break;
      case 'abort':
        if (c === undefined) return;
        if (!c.closed) c.socket.resetAndDestroy();
        c = undefined;
        break;
      case 'exit':
        process.exit(0);
    }
  }
}

function serve(spec: RunnerSpec): void {
  const server = spec.server;
  if (server === undefined) return;
  let busy = 0;
  const waiting: Conn[] = [];
  const dispatch = (c: Conn): void => {
    if (server.workers !== null && busy >= server.workers) {
      waiting.push(c);
      return;
    }
    busy++;
    runTask(server.steps, spec, c, null).then(
      () => {
        busy--;
        const next = waiting.shift();
        if (next !== undefined) dispatch(next);
      },
      (err: unknown) => send({ ev: 'fatal', message: String(err) }),
    );
  };
  const listener = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
    send({ ev: 'accepted', at: sinceT0() });
    dispatch(new Conn(socket, null));
  });
  listener.on('error', (err) => {
    send({ ev: 'fatal', message: `listen on ${spec.address}:${server.port}: ${err.message}` });
    process.exit(3);
  });
  listener.listen({ host: spec.address, port: server.port, backlog: server.backlog }, () => {
    const address = listener.address();
    send({ ev: 'listening', port: typeof address === 'object' && address !== null ? address.port : server.port });
  });
}

function startClients(spec: RunnerSpec): void {
  const client = spec.client;
  if (client === undefined) return;
  let finished = 0;
  for (let i = 0; i < client.connections; i++) {
    const offsetUs = client.start + Math.floor((client.ramp * i) / client.connections);
    setTimeout(() => {
      fired(t0 + offsetUs / 1000);
      runTask(client.steps, spec, undefined, client.firstConn + i).then(
        () => {
          finished++;
          if (finished === client.connections) send({ ev: 'done' });
        },
        (err: unknown) => send({ ev: 'fatal', message: String(err) }),
      );
    }, Math.max(0, t0 + offsetUs / 1000 - Date.now()));
  }
}

/**
 * The spec arrives as the first line on stdin (a JSON document: JSON.stringify never emits a raw
 * newline), not in argv: a scenario writing 512 KiB of filler makes an argument longer than
 * Linux's MAX_ARG_STRLEN (128 KiB) and spawn fails with E2BIG. Then `go <t0>` starts the clock;
 * stdin closing (the parent went away) ends the run.
 */
function main(): void {
  let spec: RunnerSpec | undefined;
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    input += chunk;
    let nl: number;
    while ((nl = input.indexOf('\n')) >= 0) {
      const line = input.slice(0, nl);
      input = input.slice(nl + 1);
      if (spec === undefined) {
        spec = JSON.parse(line) as RunnerSpec;
        serve(spec);
        if (spec.server === undefined) send({ ev: 'ready' });
      } else if (line.startsWith('go ')) {
        t0 = Number(line.slice(3));
        startClients(spec);
        heartbeat();
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

main();
