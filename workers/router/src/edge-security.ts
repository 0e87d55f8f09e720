import { ProblemError, requestUrl, type SiteSnapshot } from '@wp-edge/core';
import { createMiddleware } from 'hono/factory';
import { refusedPath, sitePath } from './site-path.ts';

const ADMIN_PATHS = /^\/(wp-admin|wp-login\.php)(\/|$)/;
const XMLRPC_PATH = /^\/xmlrpc\.php(\/|$)/;
const LOGIN_PATH = /^\/wp-login\.php(\/|$)/;
// `.git`, `.env`, `.htaccess`, wp-edge's own staging: nothing a blog serves starts with a dot,
// and web servers hand such files out unless told not to. `/.well-known/` is public by design.
const HIDDEN_SEGMENT = /\/\.(?!well-known(\/|$))/;

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    return undefined;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Whether an address is one of the allowlist's addresses or inside one of its IPv4 CIDR blocks. */
export function allowed(address: string, allowlist: string[]): boolean {
  return allowlist.some((entry) => {
    const [base = '', bits] = entry.split('/');
    if (bits === undefined) return base === address;
    const ip = ipv4ToNumber(address);
    const network = ipv4ToNumber(base);
    if (ip === undefined || network === undefined) return false;
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ip / size) === Math.floor(network / size);
  });
}

/**
 * The edge's guard in front of WordPress: XML-RPC off unless the site turns it on, the
 * admin (and any request with credentials: application passwords sign in to the REST API
 * from any path) only from the allowlist when there is one, and password guessing on the
 * login form slowed per client address. Throws the refusal; returns when the request may pass.
 */
export async function guard(
  request: Request,
  url: URL,
  site: SiteSnapshot,
  env: Env,
): Promise<void> {
  const security = site.settings.security;
  const address = request.headers.get('cf-connecting-ip') ?? '';
  const path = sitePath(url);
  if (HIDDEN_SEGMENT.test(path)) {
    throw new ProblemError(
      404,
      'not found: a path with a segment that starts with a dot (other than /.well-known/) is never served',
    );
  }
  if (security.blockXmlrpc && XMLRPC_PATH.test(path)) {
    throw new ProblemError(403, 'XML-RPC is turned off for this site');
  }
  if (
    security.adminAllowlist.length > 0 &&
    (ADMIN_PATHS.test(path) || request.headers.has('authorization')) &&
    !allowed(address, security.adminAllowlist)
  ) {
    throw new ProblemError(403, 'the admin of this site is open to its allowed addresses only');
  }
  if (request.method === 'POST' && LOGIN_PATH.test(path)) {
    const { success } = await env.LOGIN_LIMITER.limit({ key: `${site.id}:${address}` });
    if (!success) {
      throw new ProblemError(
        429,
        'too many sign-in attempts from your address; wait a minute and try again',
        {
          headers: { 'retry-after': '60' },
        },
      );
    }
  }
}

/** Middleware: a path no honest client sends is refused before any rule or Worker sees it. */
export const refuseOddPaths = createMiddleware(async (c, next) => {
  const refusal = refusedPath(requestUrl(c.req.raw));
  if (refusal) throw new ProblemError(400, refusal);
  await next();
});

const SECURITY_HEADERS: [string, string][] = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['content-security-policy', "frame-ancestors 'self'"],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
];
const HTTPS_SECURITY_HEADERS: [string, string][] = [
  ...SECURITY_HEADERS,
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
];

/** Sets the security headers a WordPress site should send that `headers` lacks. */
function addSecurityHeaders(headers: Headers, url: URL): void {
  for (const [name, value] of url.protocol === 'https:' ? HTTPS_SECURITY_HEADERS : SECURITY_HEADERS)
    if (!headers.has(name)) headers.set(name, value);
}

/** Adds the security headers a WordPress site should send, unless the node already sent its own. */
export function withSecurityHeaders(response: Response, url: URL): Response {
  const secured = new Response(response.body, response);
  addSecurityHeaders(secured.headers, url);
  return secured;
}

/**
 * Middleware: every answer on a site's host carries the security headers, refusals included.
 * An answer the Worker made itself (a cached copy as served, a refusal) takes them in place:
 * setting `c.res` would copy the answer twice more. A node's answer passed on as fetched has
 * headers that cannot change, and is copied once.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  const url = requestUrl(c.req.raw);
  try {
    addSecurityHeaders(c.res.headers, url);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    c.res = withSecurityHeaders(c.res, url);
  }
});
