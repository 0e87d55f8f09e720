import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../errors/problem.ts';
import { type VerifyOptions, verifyRequest } from './verify.ts';

/**
 * Hono middleware that refuses (401, problem+json) any request without a valid, fresh,
 * unreplayed node signature, and exposes the verified key as `c.var.agentKey`.
 * @example
 * app.use('/agent/*', requireSignature((c) => ({ findKey: …, replayGuard: … })));
 */
export function requireSignature<Key extends { secret: string }>(
  options: (env: unknown) => VerifyOptions<Key>,
) {
  return createMiddleware<{ Variables: { agentKey: Key } }>(async (c, next) => {
    const result = await verifyRequest(
      {
        method: c.req.method,
        url: c.req.url,
        headers: c.req.raw.headers,
        body: await c.req.arrayBuffer(),
      },
      options(c.env),
    );
    if (!result.ok) {
      throw new ProblemError(401, result.message, {
        type: `urn:wp-edge:signature:${result.reason}`,
        headers: { 'www-authenticate': 'WP-EDGE-HMAC-SHA256' },
      });
    }
    c.set('agentKey', result.key);
    await next();
  });
}
