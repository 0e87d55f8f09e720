import { type RequestOptions, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, options: RequestOptions, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET with an explicit Host header, which fetch() does not allow. */
export function get(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return send(url, { headers: { ...headers, host } });
}

/** A POST with an explicit Host header, as a reader's browser sends it to the site. */
export function post(
  url: string,
  host: string,
  body: string,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  const length = String(Buffer.byteLength(body));
  return send(
    url,
    { method: 'POST', headers: { ...headers, host, 'content-length': length } },
    body,
  );
}

/** Retries `attempt` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
  );
}
