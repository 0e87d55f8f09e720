import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    turnstileUrl: string;
    webhookBase: string;
  }
}

/** Turnstile's documented test secrets: always passes, always fails, token already spent. */
const SECRETS: Record<string, string[]> = {
  '1x0000000000000000000000000000000AA': [],
  '2x0000000000000000000000000000000AA': ['invalid-input-response'],
  '3x0000000000000000000000000000000AA': ['timeout-or-duplicate'],
};

/** A secret of ours, not Turnstile's: siteverify answers as it would during an outage. */
export const OUTAGE_SECRET = 'outage-of-siteverify';

/**
 * A secret of ours standing for a real widget's: its tokens are `<hostname>|<action>`, the
 * page the challenge was solved on and the widget's action, which siteverify reports back.
 */
export const WIDGET_SECRET = 'stand-in-widget-secret';

/** Siteverify's answer, as its documentation gives it (test secrets report `example.com`). */
function siteverifyAnswer(form: URLSearchParams) {
  const secret = form.get('secret') ?? '';
  const token = form.get('response') ?? '';
  const codes = !token
    ? ['missing-input-response']
    : secret === WIDGET_SECRET
      ? []
      : (SECRETS[secret] ?? ['invalid-input-secret']);
  if (codes.length > 0) return { success: false, 'error-codes': codes, messages: [] };
  const [hostname, action = ''] = secret === WIDGET_SECRET ? token.split('|') : ['example.com'];
  return {
    success: true,
    challenge_ts: new Date().toISOString(),
    hostname,
    'error-codes': [],
    action,
    cdata: '',
    metadata: { interactive: false },
  };
}

export interface ReceivedWebhook {
  path: string;
  contentType: string | undefined;
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
 * Stand-ins on loopback for the services beyond our machines, following their contracts:
 * Turnstile's siteverify (with its test secrets) and a webhook receiver that records what
 * it got (`GET /received`) and fails the first delivery to any path under `/fail-once/`.
 */
export default async function setup(project: TestProject) {
  const received: ReceivedWebhook[] = [];
  const failed = new Set<string>();
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = request.url ?? '/';
    if (path === '/turnstile/v0/siteverify') {
      const form = new URLSearchParams(body);
      if (form.get('secret') === OUTAGE_SECRET) {
        response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(siteverifyAnswer(form)));
      return;
    }
    if (request.method === 'GET' && path.startsWith('/received')) {
      const prefix = new URL(path, 'http://x').searchParams.get('path') ?? '';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(received.filter((hook) => hook.path.startsWith(prefix))));
      return;
    }
    if (path.startsWith('/fail-once/') && !failed.has(path)) {
      failed.add(path);
      response.writeHead(500).end('down for a moment');
      return;
    }
    received.push({ path, contentType: request.headers['content-type'], body });
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.4', resolve));
  const base = `http://127.0.0.4:${(server.address() as AddressInfo).port}`;
  project.provide('turnstileUrl', `${base}/turnstile/v0/siteverify`);
  project.provide('webhookBase', base);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
