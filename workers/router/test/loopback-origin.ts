import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    originUrl: string;
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

/** Starts a real HTTP origin on 127.0.0.2 for the router to proxy to, for the whole run. */
export default async function setup(project: TestProject) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
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
        node: 'loopback',
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      response.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'loopback' });
      response.end(JSON.stringify(echo));
    });
  });
  const address = await listen(server, '127.0.0.2');
  project.provide('originUrl', `http://127.0.0.2:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
