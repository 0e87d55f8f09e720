import { type AgentConfig, type AgentRoute, signRequest } from '@wp-edge/core';
import type { z } from 'zod';

/** How one call may be cut short: the caller's signal, and a timeout (30 s unless said). */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Signed calls from this node to the edge's agent API, with the node's key. */
export interface EdgeClient {
  /** Sends `input` to one route of `AGENT_ROUTES` and answers what the edge said, checked against the route's schema. */
  call<Input extends z.ZodType, Output extends z.ZodType>(
    route: AgentRoute<Input, Output>,
    input: z.input<Input>,
    options?: CallOptions,
  ): Promise<z.output<Output>>;
}

/** The edge refused a request: `status` says how. */
export class EdgeError extends Error {
  override name = 'EdgeError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function answer(response: Response, what: string): Promise<unknown> {
  if (!response.ok) {
    const detail = (await response.text()).slice(0, 300);
    throw new EdgeError(
      response.status,
      `the edge answered ${response.status} to ${what}: ${detail}`,
    );
  }
  return response.json();
}

/** A GET's input as its query string. */
function withQuery(url: URL, input: unknown): URL {
  for (const [name, value] of Object.entries(input as Record<string, unknown>))
    if (value !== undefined) url.searchParams.set(name, String(value));
  return url;
}

/** An edge client for the agent's config. */
export function edgeClient(config: Pick<AgentConfig, 'edgeUrl' | 'keyId' | 'secret'>): EdgeClient {
  const key = { keyId: config.keyId, secret: config.secret };
  return {
    async call(route, input, options = {}) {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const url = new URL(route.path, config.edgeUrl);
      let response: Response;
      if (route.method === 'GET') {
        withQuery(url, input);
        const headers = await signRequest({ method: 'GET', url, ...key });
        response = await fetch(url, { headers, signal });
      } else {
        const body = JSON.stringify(input);
        const headers = await signRequest({ method: 'POST', url, body, ...key });
        response = await fetch(url, {
          method: 'POST',
          body,
          headers: { ...headers, 'content-type': 'application/json' },
          signal,
        });
      }
      return route.output.parse(await answer(response, `${route.method} ${url.pathname}`));
    },
  };
}
