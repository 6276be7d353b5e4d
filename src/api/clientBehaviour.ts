/**
 * What a client can do to a server's close logic, as data (so a property test can generate,
 * shrink and print it), and the program that does it. Every behaviour ends by closing or
 * aborting its own connection, and waits at most `patience` for any answer: a client never
 * leaks, so a leak found is the server's.
 */
import type { Conn } from './conn.js';
import type { Duration } from './duration.js';
import type { SimProcess } from './process.js';
import { SimError } from './simError.js';

/** One client's conduct on one connection. */
export type ClientBehaviour =
  /** Sends the request, reads the answer, closes. */
  | { readonly kind: 'polite' }
  /** Connects and closes without a word. */
  | { readonly kind: 'closeEarly' }
  /** Sends the request, shuts its side (FIN), reads to the end, closes. */
  | { readonly kind: 'halfClose' }
  /** Resets the connection (SO_LINGER 0), before or after sending the request. */
  | { readonly kind: 'abort'; readonly afterRequest: boolean }
  /** Sends a line that is no request, reads what comes, closes. */
  | { readonly kind: 'garbage'; readonly data: string }
  /** Sends the request and never reads; closes after `hold` ms (with the answer unread: RST). */
  | { readonly kind: 'neverRead'; readonly hold: number }
  /** Sends the request and reads one byte every `every` ms. */
  | { readonly kind: 'slowReader'; readonly every: number }
  /** Sends the first `cut` bytes of the request, then closes (disconnects mid-request). */
  | { readonly kind: 'midRequest'; readonly cut: number };

/** A client connection: when it starts (ms from the start of the run) and what it does. */
export interface ClientPlan {
  readonly at: number;
  readonly behaviour: ClientBehaviour;
}

/** What the clients send and how long they wait. */
export interface ClientSettings {
  /** The request line a well-formed client sends (default "GET / HTTP/1.0\r\n"). */
  readonly request?: string;
  /** Longest wait for an answer before giving up (and closing); default 10 s. */
  readonly patience?: Duration;
  /** Where to connect: process name or address (default: whoever listens on the port). */
  readonly to?: string;
}

/** The default request line. */
export const DEFAULT_REQUEST = 'GET / HTTP/1.0\r\n';

/** A behaviour in a few words, for counterexamples. */
export function describeBehaviour(b: ClientBehaviour): string {
  switch (b.kind) {
    case 'polite':
      return 'sends the request, reads the answer, closes';
    case 'closeEarly':
      return 'connects and closes without sending anything';
    case 'halfClose':
      return 'sends the request, shuts down its side, reads to the end, closes';
    case 'abort':
      return b.afterRequest ? 'sends the request, then resets (RST)' : 'connects, then resets (RST) without sending anything';
    case 'garbage':
      return `sends ${JSON.stringify(b.data)} instead of a request, reads, closes`;
    case 'neverRead':
      return `sends the request, never reads, closes after ${b.hold} ms`;
    case 'slowReader':
      return `sends the request, reads one byte every ${b.every} ms`;
    case 'midRequest':
      return `sends ${b.cut} byte${b.cut === 1 ? '' : 's'} of the request, then closes`;
  }
}

/** Runs `behaviour` from `client` against `port`; a SimError on the way ends it (after closing). */
export async function runClient(client: SimProcess, port: number, behaviour: ClientBehaviour, settings: ClientSettings = {}): Promise<void> {
  const request = settings.request ?? DEFAULT_REQUEST;
  const patience = { timeout: settings.patience ?? '10s' };
  let conn: Conn;
  try {
    conn = await client.connect(port, settings.to === undefined ? patience : { ...patience, to: settings.to });
  } catch (e) {
    if (e instanceof SimError) return;
    throw e;
  }
  try {
    switch (behaviour.kind) {
      case 'polite':
        await conn.write(request);
        await conn.readLine(patience);
        break;
      case 'closeEarly':
        break;
      case 'halfClose':
        await conn.write(request);
        conn.shutdown();
        await conn.readAll(patience);
        break;
      case 'abort':
        if (behaviour.afterRequest) await conn.write(request);
        conn.abort();
        break;
      case 'garbage':
        await conn.write(behaviour.data);
        await conn.read(65_536, patience);
        break;
      case 'neverRead':
        await conn.write(request);
        await client.sleep(behaviour.hold);
        break;
      case 'slowReader': {
        await conn.write(request);
        for (let i = 0; i < 64; i++) {
          const got = await conn.read(1, patience);
          if (got === '' || got === '\n') break;
          await client.sleep(behaviour.every);
        }
        break;
      }
      case 'midRequest':
        await conn.write(request.slice(0, Math.max(0, Math.min(behaviour.cut, request.length - 1))));
        break;
    }
  } catch (e) {
    if (!(e instanceof SimError)) throw e;
  } finally {
    conn.close();
  }
}
