/** Where a request may go: the primary node only, or any healthy node. */
export type Destination = 'primary' | 'any';

export interface Classification {
  destination: Destination;
  /** Whether the answer may be kept in and served from the edge cache. */
  cacheable: boolean;
  reason: string;
}

import { HELD_COMMENT_COOKIE } from '@wp-edge/core';
import { phpCookieNames, phpQuery } from './php-names.ts';
import { sitePath } from './site-path.ts';

// A PHP script also answers with more path after it (PATH_INFO): `/xmlrpc.php/anything`.
const PRIMARY_PATHS = [
  /^\/wp-admin(\/|$)/,
  /^\/wp-login\.php(\/|$)/,
  /^\/xmlrpc\.php(\/|$)/,
  /^\/wp-cron\.php(\/|$)/,
  /^\/wp-signup\.php(\/|$)/,
  /^\/wp-activate\.php(\/|$)/,
];

/** Cookies of sessions that live in one node's database: logged in, post passwords, shop carts. */
const SESSION_COOKIE =
  /^(wordpress_logged_in_|wordpress_sec_|wp-postpass_|woocommerce_|wp_woocommerce_session_)/;
const COMMENTER_COOKIE = /^comment_author_/;

// `X-HTTP-Method-Override` with each of its dashes written as `-` or `_`: PHP reads them all
// as one, and which one it keeps is the web server's choice, so any of them counts.
const OVERRIDE_HEADERS = ['-', '_'].flatMap((a) =>
  ['-', '_'].flatMap((b) => ['-', '_'].map((c) => `x${a}http${b}method${c}override`)),
);

function isPreview(query: Map<string, string>): boolean {
  return (
    (query.get('preview') ?? '') !== '' ||
    query.has('preview_id') ||
    query.has('customize_changeset_uuid') ||
    query.has('_wpnonce')
  );
}

/**
 * A read that WordPress turns into a write: its REST API honours `_method` (as PHP reads the
 * query: the last one) and `X-HTTP-Method-Override`, which PHP also takes from a header
 * written with underscores for any of its dashes.
 */
function overriddenMethod(query: Map<string, string>, headers: Headers): string | undefined {
  const headerOverrides = OVERRIDE_HEADERS.map((name) => headers.get(name) ?? undefined);
  return [query.get('_method'), ...headerOverrides].find(
    (override) => override !== undefined && !/^(GET|HEAD)$/i.test(override),
  );
}

/**
 * Decides where a request may be served from. To the primary: admin, login, XML-RPC, cron,
 * previews, writes (method overrides included), requests with credentials (application
 * passwords) and requests carrying a session that lives in one node's database. Everything
 * else is an anonymous read any node can answer, cached unless it carries a commenter's
 * cookies (the page shows their name in the comment form) or the held comment cookie (the
 * page shows that reader their comment awaiting moderation, for no one else). Cookie and query names are read
 * as PHP reads them, and paths as the web server resolves them (`sitePath`).
 */
export function classify(method: string, url: URL, headers: Headers): Classification {
  const primary = (reason: string): Classification => ({
    destination: 'primary',
    cacheable: false,
    reason,
  });
  if (method !== 'GET' && method !== 'HEAD') return primary('write');
  const query = phpQuery(url);
  const override = overriddenMethod(query, headers);
  if (override) return primary(`method override ${override}`);
  const path = sitePath(url);
  if (PRIMARY_PATHS.some((pattern) => pattern.test(path))) return primary(`path ${path}`);
  if (isPreview(query)) return primary('preview');
  if (headers.has('authorization')) return primary('credentials');
  const cookies = phpCookieNames(headers.get('cookie'));
  const session = cookies.find((name) => SESSION_COOKIE.test(name));
  if (session) return primary(`session cookie ${session}`);
  if (cookies.some((name) => COMMENTER_COOKIE.test(name))) {
    return { destination: 'any', cacheable: false, reason: 'commenter cookie' };
  }
  if (cookies.includes(HELD_COMMENT_COOKIE)) {
    return { destination: 'any', cacheable: false, reason: 'held comment cookie' };
  }
  return { destination: 'any', cacheable: true, reason: 'anonymous read' };
}
