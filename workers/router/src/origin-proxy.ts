import { ORIGIN_SECRET_HEADER, requestUrl } from '@wp-edge/core';
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

function forwardedHeaders(
  request: Request,
  requestUrl: URL,
  originSecret: string | undefined,
): Headers {
  const headers = new Headers(request.headers);
  const listed = (headers.get('connection') ?? '').split(',').map((name) => name.trim());
  for (const name of [...HOP_BY_HOP, ...listed]) if (name) headers.delete(name);
  headers.delete('host');
  // Set after the hop-by-hop headers are gone, so a client's `Connection` cannot name these away.
  headers.delete(ORIGIN_SECRET_HEADER);
  if (originSecret) headers.set(ORIGIN_SECRET_HEADER, originSecret);
  // The one address the edge itself saw; whatever the client claimed in its own header is dropped.
  headers.delete('x-forwarded-for');
  const client = request.headers.get('cf-connecting-ip');
  if (client) headers.set('x-forwarded-for', client);
  headers.set('x-forwarded-host', requestUrl.host);
  headers.set('x-forwarded-proto', requestUrl.protocol.replace(':', ''));
  return headers;
}

/** A node that could not be reached or did not answer in time. Its message is for logs only. */
export class NodeUnreachable extends Error {
  readonly node: SiteNode;
  constructor(node: SiteNode, cause: unknown) {
    super(`node ${node.id} could not be reached: ${(cause as Error).message}`, { cause });
    this.name = 'NodeUnreachable';
    this.node = node;
  }
}

/**
 * Sends a request to one node and returns its answer as it is: redirects are passed to the
 * browser, never followed, so the router only ever fetches the configured node. Throws
 * `NodeUnreachable` when the node cannot be reached or has not answered within `timeoutMs`.
 * The timeout ends with the answer's headers: a body may then take as long as it takes (a large
 * file to a slow reader), and no timer outlives the request.
 */
export async function proxyToNode(
  request: Request,
  node: SiteNode,
  originSecret?: string,
  timeoutMs?: number,
): Promise<Response> {
  const url = requestUrl(request);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const answered = new AbortController();
  const timer = timeoutMs
    ? setTimeout(
        () => answered.abort(new DOMException('the node did not answer in time', 'TimeoutError')),
        timeoutMs,
      )
    : undefined;
  try {
    return await fetch(originUrl(node, url), {
      method: request.method,
      headers: forwardedHeaders(request, url, originSecret),
      body: hasBody ? request.body : null,
      redirect: 'manual',
      signal: answered.signal,
    });
  } catch (error) {
    throw new NodeUnreachable(node, error);
  } finally {
    clearTimeout(timer);
  }
}
