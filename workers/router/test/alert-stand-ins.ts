import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    receiverBase: string;
    /** The private half of the key the Access stand-in publishes at `/access/certs`. */
    accessKey: JWK;
  }
}

/** A request the stand-in received: where, with which key, and what. */
export interface Received {
  path: string;
  authorization: string | undefined;
  body: string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
  });
}

/**
 * A loopback stand-in for the services alerts go to: webhooks (Slack's, Telegram's, or any
 * JSON receiver: each answers 200) and an email API taking `POST {from, to, subject, text}`
 * with a bearer key, as Resend's does (401 for any other key). What it got is at
 * `GET /received?path=<prefix>`; every path under `/down/` answers 503, as a broken receiver.
 * It also stands in for a Cloudflare Access team: its signing keys (JWKS) at `/access/certs`.
 */
export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'stand-in-key';
  const certs = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }],
  });
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (request.method === 'GET' && url.pathname === '/received') {
      const prefix = url.searchParams.get('path') ?? '';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(received.filter((hook) => hook.path.startsWith(prefix))));
      return;
    }
    if (url.pathname === '/access/certs') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(certs);
      return;
    }
    if (url.pathname.startsWith('/down/')) {
      response.writeHead(503).end('receiver down');
      return;
    }
    const authorization = request.headers.authorization;
    if (url.pathname.startsWith('/email/') && authorization !== 'Bearer email-key') {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"message":"API key is invalid"}');
      return;
    }
    received.push({ path: url.pathname, authorization, body });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"sent"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.5', resolve));
  project.provide('accessKey', { ...(await exportJWK(privateKey)), kid, alg: 'RS256' });
  project.provide('receiverBase', `http://127.0.0.5:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
