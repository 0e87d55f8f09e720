import { type AgentConfig, signRequest } from '@wp-edge/core';

/** Signed calls from this node to the edge, with the node's key. */
export interface EdgeClient {
  get(path: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
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

/** An edge client for the agent's config. */
export function edgeClient(config: Pick<AgentConfig, 'edgeUrl' | 'keyId' | 'secret'>): EdgeClient {
  const key = { keyId: config.keyId, secret: config.secret };
  return {
    async get(path, options = {}) {
      const url = new URL(path, config.edgeUrl);
      const headers = await signRequest({ method: 'GET', url, ...key });
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      return answer(await fetch(url, { headers, signal }), `GET ${url.pathname}`);
    },
    async post(path, body) {
      const url = new URL(path, config.edgeUrl);
      const text = JSON.stringify(body);
      const headers = await signRequest({ method: 'POST', url, body: text, ...key });
      const response = await fetch(url, {
        method: 'POST',
        body: text,
        headers: { ...headers, 'content-type': 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      return answer(response, `POST ${url.pathname}`);
    },
  };
}
