/**
 * The diagnosis as unit tests: for each kind of run, the exact sentences, in order. (Before
 * these, a wrong sentence was caught only by the README freshness test, which `npm run docs`
 * would silently "fix".)
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/report/diagnose.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';

/** The diagnosis of the scenario in `text`. */
function diagnosis(text: string): string[] {
  const scenario = loadScenarioText(text, 'd.yaml');
  return diagnose(simulate(scenario), scenario);
}

describe('diagnose()', () => {
  it("a server that closes after the peer: TIME_WAIT on the clients, then nothing leaks", () => {
    expect(diagnosis("processes:\n  server: { listen: 80, onConnection: [ { read: eof }, close ] }\n  client: { connections: 2, steps: [ { connect: server }, close ] }\nsample: { every: 10s, until: 2m }\n")).toEqual([
      "TIME_WAIT peaked at 2, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts 60 s (TCP_TIMEWAIT_LEN, fixed in the Linux kernel; up to 2 s more, as the kernel's timer wheel rounds it up) and all of them have expired.",
      "Every connection reached CLOSED and every process is back to its baseline fds: nothing leaks."
    ]);
  });

  it("a server that never closes: CLOSE_WAIT for good, one fd per connection, the clients’ FIN_WAIT_2 expire", () => {
    expect(diagnosis("processes:\n  server: { listen: 80, onConnection: [ { read: eof } ] }\n  client: { connections: 3, steps: [ { connect: server }, close ] }\nsample: { every: 10s, until: 2m }\n")).toEqual([
      "server never closes its connections: 3 sockets sit in CLOSE_WAIT — the peers sent FIN, server never called close(). CLOSE_WAIT has no timer, so they stay until the process closes them or exits.",
      "Each accepted connection costs server 1 fd for good: 7 fds open at the end against 4 of its own, for 3 accepted connections.",
      "3 FIN_WAIT_2 sockets (peak 3) expired: they were the closing side's sockets, orphaned by close(), whose peer never sent its FIN, and Linux ends an orphaned FIN_WAIT_2 after tcp_fin_timeout (60 s)."
    ]);
  });

  it("a server that closes 5 s after the peer: CLOSE_WAIT seen, then gone; TIME_WAIT remains at the end", () => {
    expect(diagnosis("processes:\n  server: { listen: 80, onConnection: [ { read: eof }, { sleep: 5s }, close ] }\n  client: { connections: 2, steps: [ { connect: server }, close ] }\nsample: { every: 1s, until: 20s }\n")).toEqual([
      "server's sockets passed through CLOSE_WAIT (peak 2, seen from 0:01 to 0:05): the peers closed first, and server closed its side later. CLOSE_WAIT lasts exactly as long as the program waits before close().",
      "TIME_WAIT peaked at 2, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts 60 s (TCP_TIMEWAIT_LEN, fixed in the Linux kernel; up to 2 s more, as the kernel's timer wheel rounds it up); 2 remain at the end."
    ]);
  });

  it("a posix server at its fd limit that retries accept(): EMFILE, queued connections in CLOSE_WAIT", () => {
    expect(diagnosis("processes:\n  server: { nofile: 8, listen: { port: 80, onAcceptError: retry, acceptRetry: 1s }, onConnection: [ { read: eof } ] }\n  client: { connections: 6, steps: [ { connect: server }, close ] }\nsample: { every: 1s, until: 5s }\n")).toEqual([
      "server never closes its connections: 6 sockets sit in CLOSE_WAIT — the peers sent FIN, server never called close(). CLOSE_WAIT has no timer, so they stay until the process closes them or exits.",
      "Each accepted connection costs server 1 fd for good: 8 fds open at the end against 4 of its own, for 4 accepted connections.",
      "server reached its fd limit (nofile 8) by 0:01; from then on accept() failed with EMFILE (5 times, first at 0:00.000). 2 connections the kernel completed but server could not accept wait in the accept queue — they are in CLOSE_WAIT too.",
      "6 sockets are still in FIN_WAIT_2: the peer has not closed its side. A program that still holds the fd (after shutdown) keeps it there with no timer."
    ]);
  });

  it("a libuv server at its fd limit: the EMFILE trick, and the program never told", () => {
    expect(diagnosis("processes:\n  server: { runtime: node, allowHalfOpen: true, nofile: 22, listen: 80, onConnection: [ { read: eof } ] }\n  client: { connections: 6, steps: [ { connect: server }, close ] }\nsample: { every: 1s, until: 5s }\n")).toEqual([
      "server never closes its connections: 2 sockets sit in CLOSE_WAIT — the peers sent FIN, server never called close(). CLOSE_WAIT has no timer, so they stay until the process closes them or exits.",
      "Each accepted connection costs server 1 fd for good: 22 fds open at the end against 20 of its own, for 2 accepted connections.",
      "server reached its fd limit (nofile 22) by 0:01. As a Node (libuv) server it then accepted and at once closed 4 further connections (uv__emfile_trick); the program was never told.",
      "2 sockets are still in FIN_WAIT_2: the peer has not closed its side. A program that still holds the fd (after shutdown) keeps it there with no timer.",
      "TIME_WAIT peaked at 8, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts 60 s (TCP_TIMEWAIT_LEN, fixed in the Linux kernel; up to 2 s more, as the kernel's timer wheel rounds it up); 8 remain at the end."
    ]);
  });

  it("an accept loop that stops at EMFILE, without SYN cookies: the queue fills, SYNs dropped, clients time out", () => {
    expect(diagnosis("profile: { name: linux, syncookies: false }\nprocesses:\n  server: { nofile: 5, listen: { port: 80, backlog: 1, onAcceptError: stop }, onConnection: [ { read: eof } ] }\n  client: { connections: 6, steps: [ { connect: server }, close ] }\nsample: { every: 10s, until: 3m }\n")).toEqual([
      "server never closes its connections: 3 sockets sit in CLOSE_WAIT — the peers sent FIN, server never called close(). CLOSE_WAIT has no timer, so they stay until the process closes them or exits.",
      "Each accepted connection costs server 1 fd for good: 5 fds open at the end against 4 of its own, for 1 accepted connection.",
      "server reached its fd limit (nofile 5) at 0:00.000: its next accept() failed with EMFILE, which ended its accept loop. The listener stays open but nobody accepts: 2 more connections fill the accept queue (backlog 1 + 1), ESTABLISHED on both sides and never answered, and every later client waits in SYN_SENT until connect() times out.",
      "3 FIN_WAIT_2 sockets (peak 3) expired: they were the closing side's sockets, orphaned by close(), whose peer never sent its FIN, and Linux ends an orphaned FIN_WAIT_2 after tcp_fin_timeout (60 s).",
      "Up to 6 clients waited in SYN_SENT: the server's accept queue was full, so Linux dropped their SYNs and they retried with backoff (1 s ×5, then doubling, 10 retries, giving up after 131 s). 24 SYNs were dropped; 2 connections ended in ETIMEDOUT."
    ]);
  });

  it("an accept loop that exits at EMFILE: the process ends and its fds close", () => {
    expect(diagnosis("processes:\n  server: { runtime: go, nofile: 9, listen: 80, onConnection: [ { read: eof } ] }\n  client: { connections: 4, steps: [ { connect: server }, { sleep: 1s }, close ] }\nsample: { every: 1s, until: 10s }\n")).toEqual([
      "server reached its fd limit (nofile 9) at 0:00.000: its next accept() failed with EMFILE, and its accept loop returned from main — the process exited and the kernel closed every fd it held.",
      "client's sockets passed through CLOSE_WAIT (peak 2, seen at 0:01): the peers closed first, and client closed its side later. CLOSE_WAIT lasts exactly as long as the program waits before close().",
      "TIME_WAIT peaked at 2, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts 60 s (TCP_TIMEWAIT_LEN, fixed in the Linux kernel; up to 2 s more, as the kernel's timer wheel rounds it up); 2 remain at the end."
    ]);
  });
});
