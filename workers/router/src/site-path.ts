const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// Encoded `/` and `\`, and NUL: no honest client sends them, and web servers read them apart
// (nginx and PHP decode `%2F` into a separator, so `/x%2F..%2Fwp-login.php` runs wp-login.php).
const REFUSED_IN_PATH = /%2F|%5C|%00|\\/i;

/** Why the router refuses a request's path outright, if it does. */
export function refusedPath(url: URL): string | undefined {
  return REFUSED_IN_PATH.test(url.pathname)
    ? 'the path may not contain an encoded slash (%2F), a backslash or a NUL byte (%00)'
    : undefined;
}

/**
 * The path as WordPress's web server will resolve it: percent-encoded letters, digits and
 * `-._~` decoded, and runs of slashes taken as one. Rules about paths (which go to the
 * primary, which are blocked, which a Worker serves) match this, so `//xmlrpc.php` or
 * `/%77p-login.php` cannot slip past them; the request itself is forwarded as it came. Only
 * meaningful for a path `refusedPath` lets through: dot segments are resolved by the URL
 * parser already, and nothing else a server decodes can form a script's name.
 */
export function sitePath(url: URL): string {
  return url.pathname
    .replace(/%([0-9A-Fa-f]{2})/g, (escaped, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : escaped;
    })
    .replace(/\/{2,}/g, '/');
}
