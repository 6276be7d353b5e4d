import { expect, test } from 'vitest';
import { World } from '../../src/sim/world.js';
import { LINUX } from '../../src/model/profile.js';

test('smoke: normal close', () => {
  const w = new World({ profile: LINUX, seed: 1, trace: true });
  const h = w.addHost('localhost', '127.0.0.1');
  const srv = w.addProcess({ name: 'server', host: h, nofile: 100, baselineFds: 3 });
  const cli = w.addProcess({ name: 'client', host: h, nofile: 100, baselineFds: 3 });
  const lfd = w.listen(srv, 8888, 50) as number;
  const cfd = w.connect(cli, '127.0.0.1', 8888) as number;
  w.runUntil(1000);
  const sfd = w.accept(srv, lfd) as number;
  console.log(w.sockets().map((s) => `${s.process} ${s.role} ${s.state} fd=${s.fd}`));
  w.write(cli, cfd, 'hello\n');
  w.runUntil(2000);
  console.log(w.read(srv, sfd, { kind: 'line' }));
  w.close(cli, cfd);
  w.runUntil(3000);
  console.log(w.sockets().map((s) => `${s.process} ${s.role} ${s.state} fd=${s.fd} orph=${s.orphaned}`));
  console.log(w.read(srv, sfd, { kind: 'eof' }));
  w.close(srv, sfd);
  w.runUntil(4000);
  console.log(w.sockets().map((s) => `${s.process} ${s.role} ${s.state} fd=${s.fd}`), w.stateCounts());
  w.runUntil(60_004_000);
  console.log(w.sockets().map((s) => `${s.process} ${s.role} ${s.state} fd=${s.fd}`), w.stateCounts(), w.fdsInUse(srv), w.fdsInUse(cli));
  for (const e of w.trace().events) if (e.kind === 'state' || e.kind === 'send') console.log(JSON.stringify(e));
  expect(w.stateCounts()).toEqual({ LISTEN: 1 });
});
