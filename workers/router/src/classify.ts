/** Where a request may go: the primary node only, or any healthy node. */
export type Destination = 'primary' | 'any';

export interface Classification {
  destination: Destination;
  /** Whether the answer may be kept in and served from the edge cache. */
  cacheable: boolean;
  reason: string;
}

const PRIMARY_PATHS = [
  /^\/wp-admin(\/|$)/,
  /^\/wp-login\.php$/,
  /^\/xmlrpc\.php$/,
  /^\/wp-cron\.php$/,
  /^\/wp-signup\.php$/,
  /^\/wp-activate\.php$/,
];

/** Cookies of sessions that live in one node's database: logged in, post passwords, shop carts. */
const SESSION_COOKIE =
  /^(wordpress_logged_in_|wordpress_sec_|wp-postpass_|woocommerce_|wp_woocommerce_session_)/;
const COMMENTER_COOKIE = /^comment_author_/;

function cookieNames(header: string | null): string[] {
  return (header ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter(Boolean);
}

function isPreview(url: URL): boolean {
  return (
    url.searchParams.get('preview') === 'true' ||
    url.searchParams.has('preview_id') ||
    url.searchParams.has('customize_changeset_uuid') ||
    url.searchParams.has('_wpnonce')
  );
}

/**
 * Decides where a request may be served from. To the primary: admin, login, XML-RPC, cron,
 * previews, writes, and requests carrying a session that lives in one node's database.
 * Everything else is an anonymous read any node can answer, cached unless it carries a
 * commenter's cookies (the page shows their name in the comment form).
 */
export function classify(method: string, url: URL, cookieHeader: string | null): Classification {
  if (method !== 'GET' && method !== 'HEAD')
    return { destination: 'primary', cacheable: false, reason: 'write' };
  const path = PRIMARY_PATHS.find((pattern) => pattern.test(url.pathname));
  if (path) return { destination: 'primary', cacheable: false, reason: `path ${url.pathname}` };
  if (isPreview(url)) return { destination: 'primary', cacheable: false, reason: 'preview' };
  const cookies = cookieNames(cookieHeader);
  const session = cookies.find((name) => SESSION_COOKIE.test(name));
  if (session)
    return { destination: 'primary', cacheable: false, reason: `session cookie ${session}` };
  if (cookies.some((name) => COMMENTER_COOKIE.test(name))) {
    return { destination: 'any', cacheable: false, reason: 'commenter cookie' };
  }
  return { destination: 'any', cacheable: true, reason: 'anonymous read' };
}
