import { ProblemError } from '@wp-edge/core';
import type { SiteNode } from './pick-node.ts';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** The origin URL for a request: the node's origin with the request's path and query. */
export function originUrl(node: SiteNode, requestUrl: URL): URL {
  const url = new URL(node.originUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${requestUrl.pathname}`;
  url.search = requestUrl.search;
  return url;
}

/** The header that tells a node a request came through the edge (the site's origin secret). */
export const ORIGIN_SECRET_HEADER = 'x-wp-edge-origin-secret';

function forwardedHeaders(
  request: Request,
  requestUrl: URL,
  originSecret: string | undefined,
): Headers {
  const headers = new Headers(request.headers);
  headers.delete(ORIGIN_SECRET_HEADER);
  if (originSecret) headers.set(ORIGIN_SECRET_HEADER, originSecret);
  const listed = (headers.get('connection') ?? '').split(',').map((name) => name.trim());
  for (const name of [...HOP_BY_HOP, ...listed]) if (name) headers.delete(name);
  headers.delete('host');
  const client = request.headers.get('cf-connecting-ip');
  if (client) {
    const before = request.headers.get('x-forwarded-for');
    headers.set('x-forwarded-for', before ? `${before}, ${client}` : client);
  }
  headers.set('x-forwarded-host', requestUrl.host);
  headers.set('x-forwarded-proto', requestUrl.protocol.replace(':', ''));
  return headers;
}

/**
 * Sends a request to one node and returns its answer as it is: redirects are passed to the
 * browser, never followed, so the router only ever fetches the configured node.
 */
export async function proxyToNode(
  request: Request,
  node: SiteNode,
  originSecret?: string,
  timeoutMs?: number,
): Promise<Response> {
  const requestUrl = new URL(request.url);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    return await fetch(originUrl(node, requestUrl), {
      method: request.method,
      headers: forwardedHeaders(request, requestUrl, originSecret),
      body: hasBody ? request.body : null,
      redirect: 'manual',
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (error) {
    throw new ProblemError(
      502,
      `node ${node.id} could not be reached: ${(error as Error).message}`,
      {
        headers: { 'retry-after': '5' },
      },
    );
  }
}
