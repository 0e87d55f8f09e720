import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    turnstileUrl: string;
    akismetUrl: string;
    webhookBase: string;
  }
}

/** Turnstile's documented test secrets: always passes, always fails, token already spent. */
const SECRETS: Record<string, string[]> = {
  '1x0000000000000000000000000000000AA': [],
  '2x0000000000000000000000000000000AA': ['invalid-input-response'],
  '3x0000000000000000000000000000000AA': ['timeout-or-duplicate'],
};

/** An Akismet key of ours: the stand-in answers as Akismet would during an outage. */
export const AKISMET_OUTAGE_KEY = 'akismet-outage';
/** A key the stand-in does not know: Akismet answers `invalid`, as for any key it does not know. */
export const AKISMET_INVALID_KEY = 'akismet-invalid';
/** A key of ours: `submit-spam` and `submit-ham` fail (503) twice for each comment, then Akismet is back. */
export const AKISMET_FLAKY_KEY = 'akismet-flaky';
/** How many times the stand-in fails each verdict sent with AKISMET_FLAKY_KEY before it takes it. */
export const AKISMET_FLAKY_FAILURES = 2;

/** The author Akismet's documentation gives for testing: `comment-check` always answers spam. */
export const AKISMET_SPAM_AUTHOR = 'akismet-guaranteed-spam';

/**
 * Akismet's REST API as documented: `comment-check` answers `true` (spam, with
 * `X-akismet-pro-tip: discard` when it is blatant: here, content containing "blatant") or
 * `false`; `invalid` with `X-akismet-debug-help` for an unknown key or a missing `blog` or
 * `user_ip`; `submit-spam` and `submit-ham` thank you (after two 503s with AKISMET_FLAKY_KEY).
 */
function akismetAnswer(call: string, form: URLSearchParams, failures: Map<string, number>) {
  const key = form.get('api_key') ?? '';
  if (key === AKISMET_OUTAGE_KEY) return { status: 503, headers: {}, body: 'Service Unavailable' };
  if (key === AKISMET_FLAKY_KEY && call.startsWith('submit-')) {
    const verdict = `${call} ${form.get('comment_content')}`;
    const failed = failures.get(verdict) ?? 0;
    if (failed < AKISMET_FLAKY_FAILURES) {
      failures.set(verdict, failed + 1);
      return { status: 503, headers: {}, body: 'Service Unavailable' };
    }
  }
  if (key === '' || key === AKISMET_INVALID_KEY || !form.get('blog'))
    return {
      status: 200,
      headers: { 'x-akismet-debug-help': 'We were unable to verify your API key or blog.' },
      body: 'invalid',
    };
  if (call === 'submit-spam' || call === 'submit-ham')
    return { status: 200, headers: {}, body: 'Thanks for making the web a better place.' };
  if (call !== 'comment-check') return { status: 404, headers: {}, body: 'Not found' };
  if (!form.get('user_ip'))
    return {
      status: 200,
      headers: { 'x-akismet-debug-help': 'Empty "user_ip" value' },
      body: 'invalid',
    };
  if (form.get('comment_author') !== AKISMET_SPAM_AUTHOR)
    return { status: 200, headers: {}, body: 'false' };
  const blatant = (form.get('comment_content') ?? '').includes('blatant');
  return {
    status: 200,
    headers: blatant ? { 'x-akismet-pro-tip': 'discard' } : {},
    body: 'true',
  };
}

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
 * Turnstile's siteverify (with its test secrets), Akismet's REST API, and a webhook receiver that records what
 * it got (`GET /received`) and fails the first delivery to any path under `/fail-once/`.
 */
export default async function setup(project: TestProject) {
  const received: ReceivedWebhook[] = [];
  const failed = new Set<string>();
  const flaky = new Map<string, number>();
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
    const akismet = /^\/akismet\/1\.1\/([a-z-]+)$/.exec(path);
    if (akismet?.[1]) {
      received.push({ path, contentType: request.headers['content-type'], body });
      const answer = akismetAnswer(akismet[1], new URLSearchParams(body), flaky);
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.body);
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
  project.provide('akismetUrl', `${base}/akismet/1.1`);
  project.provide('webhookBase', base);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
