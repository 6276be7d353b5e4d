// This test FAILS on purpose: fast-check finds a client that makes the leaky server keep a
// connection in CLOSE_WAIT, shrinks it, and prints it with the connection's RFC 9293 table.
import { test } from 'vitest';
import { property } from 'tcpsim/fast-check';
import { PORT, startLeakyServer } from './server.js';

test('the leaky server closes every connection', async () => {
  await property(startLeakyServer, { port: PORT, seed: 42 });
});
