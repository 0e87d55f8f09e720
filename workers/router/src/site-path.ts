const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path as WordPress's web server will resolve it: percent-encoded letters, digits and
 * `-._~` decoded, and runs of slashes taken as one. Rules about paths (which go to the
 * primary, which are blocked) match this, so `//xmlrpc.php` or `/%77p-login.php` cannot slip
 * past them; the request itself is forwarded as it came.
 */
export function sitePath(url: URL): string {
  return url.pathname
    .replace(/%([0-9A-Fa-f]{2})/g, (escaped, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : escaped;
    })
    .replace(/\/{2,}/g, '/');
}
