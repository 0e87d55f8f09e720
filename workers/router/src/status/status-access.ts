import { ProblemError, type SiteSnapshot, STATUS_PATH, STATUS_TOKEN_COOKIE } from '@wp-edge/core';
import { statusTokenSite } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { RouterEnv } from '../routing.ts';

const ACCESS_HEADER = 'cf-access-jwt-assertion';
const ACCESS_COOKIE = 'CF_Authorization';

// Per isolate: each Access team's key set, which jose fetches once and refreshes as keys rotate.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string) {
  const known = keySets.get(url);
  if (known) return known;
  const created = createRemoteJWKSet(new URL(url));
  keySets.set(url, created);
  return created;
}

/** Who may read the page, as the request shows: a CLI-issued token, or a Cloudflare Access JWT. */
function credentials(c: Context<RouterEnv>) {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return {
    token: bearer ?? c.req.query('token') ?? getCookie(c, STATUS_TOKEN_COOKIE),
    jwt: c.req.header(ACCESS_HEADER) ?? getCookie(c, ACCESS_COOKIE),
  };
}

async function accessAllows(site: SiteSnapshot, jwt: string): Promise<boolean> {
  const { accessTeamDomain, accessAud, accessCertsUrl } = site.settings.status;
  if (!accessTeamDomain || !accessAud) return false;
  try {
    await jwtVerify(
      jwt,
      keySet(accessCertsUrl ?? `https://${accessTeamDomain}/cdn-cgi/access/certs`),
      { issuer: `https://${accessTeamDomain}`, audience: accessAud, algorithms: ['RS256'] },
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Lets the request through to the site's status page, or refuses it: 401 without a credential
 * the site accepts (an unknown or expired token, a JWT its Access team did not sign for its
 * audience), 403 with a token another site issued. Says which credential it took.
 */
export async function requireStatusAccess(
  c: Context<RouterEnv>,
  site: SiteSnapshot,
): Promise<'token' | 'access'> {
  const { token, jwt } = credentials(c);
  if (jwt && (await accessAllows(site, jwt))) return 'access';
  if (token) {
    const owner = await statusTokenSite(drizzle(c.env.DB), token);
    if (owner === site.id) return 'token';
    if (owner) throw new ProblemError(403, `this token opens the status page of another site`);
  }
  throw new ProblemError(
    401,
    `sign in through Cloudflare Access, or open ${STATUS_PATH}?token=… with a token from: npx wp-edge status token ${site.id}`,
    { headers: { 'www-authenticate': 'Bearer realm="wp-edge status"' } },
  );
}
