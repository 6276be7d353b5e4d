/**
 * The server of `tcpsim teach`: the teaching page (dist/teach/index.html, built by `npm run site`
 * or `npm run build`) over HTTP on 127.0.0.1 only. It serves that one file, GET and HEAD, and
 * nothing else; the page itself fetches nothing.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtFile } from '../report/html/webAsset.js';

/** A running teach server. */
export interface TeachServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The page's path, or undefined when the site is not built. */
export function teachPage(): string | undefined {
  return builtFile('teach', 'index.html');
}

/** Starts serving `page` on 127.0.0.1:`port` (0: any free port). */
export function startTeachServer(page: string, port: number): Promise<TeachServer> {
  const body = readFileSync(page);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const known = path === '/' || path === '/index.html';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!known) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: tcpsim teach serves one page, /\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
