import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    originUrl: string;
    secondOriginUrl: string;
    doomedOriginUrl: string;
  }
}

/** What the loopback origin answers: the request as it arrived, so tests can see what the router sent. */
export interface OriginEcho {
  node: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function listen(server: Server, host: string): Promise<AddressInfo> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve(server.address() as AddressInfo)),
  );
}

let served = 0;
// Requests to `/held` are answered after a while; the most ever in flight at once is kept.
const HELD_MS = 300;
let held = 0;
let mostHeld = 0;
// How often each page was asked for, so a test can count what reached the node.
const visits = new Map<string, number>();

function origin(node: string): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url?.startsWith('/html')) {
        served++;
        const visit = (visits.get(request.url) ?? 0) + 1;
        visits.set(request.url, visit);
        const headers: Record<string, string> = {
          'content-type': 'text/html; charset=UTF-8',
          'x-origin': node,
        };
        if (request.url.includes('set-cookie')) headers['set-cookie'] = 'session=abc; Path=/';
        // `?cache-control=…&vary=…`: the page says how it may be cached, as a plugin's would.
        const asked = new URL(request.url, 'http://origin').searchParams;
        for (const name of ['cache-control', 'vary']) {
          const value = asked.get(name);
          if (value) headers[name] = value;
        }
        response
          .writeHead(200, headers)
          .end(
            `<!doctype html><p>page ${request.url} from ${node}, answer ${served}, visit ${visit}</p>`,
          );
        return;
      }
      if (request.url === '/held') {
        mostHeld = Math.max(mostHeld, ++held);
        setTimeout(() => {
          held--;
          response.writeHead(200).end('held');
        }, HELD_MS);
        return;
      }
      // Answered at once, its body sent a line every 100 ms for a second.
      if (request.url === '/trickle') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        let line = 0;
        const timer = setInterval(() => {
          response.write(`line ${line}\n`);
          if (++line === 10) {
            clearInterval(timer);
            response.end();
          }
        }, 100);
        return;
      }
      if (request.url === '/most-held') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(String(mostHeld));
        return;
      }
      if (request.url?.startsWith('/with-comment-form')) {
        response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
        response.end(
          '<!doctype html><form action="https://blog.example/wp-comments-post.php" method="post" id="commentform"><textarea name="comment"></textarea></form><form action="/search"></form>',
        );
        return;
      }
      if (request.url?.startsWith('/redirect')) {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      const echo: OriginEcho = {
        node,
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      if (request.url?.startsWith('/slow') && node === 'a') {
        setTimeout(() => response.writeHead(200, { 'x-origin': node }).end('too late'), 12_000);
        return;
      }
      // As an origin that refuses traffic that did not come through the edge.
      if (request.url?.startsWith('/edge-only') && !request.headers['x-wp-edge-origin-secret']) {
        response.writeHead(503, { 'x-origin': node }).end('edge traffic only');
        return;
      }
      // An include file hit directly, as an attacker does to make PHP fail: a fatal error on every node.
      if (request.url?.startsWith('/wp-includes/rss-functions.php')) {
        response.writeHead(500, { 'x-origin': node }).end('PHP Fatal error: Uncaught Error');
        return;
      }
      if (request.url?.startsWith('/flaky') && node === 'a') {
        response.writeHead(500, { 'x-origin': node }).end('node a is unwell');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-origin': node });
      response.end(JSON.stringify(echo));
    });
  });
}

/** Starts two real HTTP origins, node a on 127.0.0.2 and node b on 127.0.0.3, for the whole run. */
export default async function setup(project: TestProject) {
  const a = origin('a');
  const b = origin('b');
  // Node c dies for good when asked (GET /kill on it): for the failover-under-load test.
  const c = origin('c');
  c.prependListener('request', (request) => {
    if (request.url === '/kill') {
      c.close();
      c.closeAllConnections();
    }
  });
  project.provide('originUrl', `http://127.0.0.2:${(await listen(a, '127.0.0.2')).port}`);
  project.provide('secondOriginUrl', `http://127.0.0.3:${(await listen(b, '127.0.0.3')).port}`);
  project.provide('doomedOriginUrl', `http://127.0.0.4:${(await listen(c, '127.0.0.4')).port}`);
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return () => Promise.all([close(a), close(b), close(c)]).then(() => undefined);
}
