/**
 * A cookie or query parameter's name as PHP stores it in `$_COOKIE` or `$_GET` (seen with
 * PHP 8.2): leading spaces dropped, cut at a NUL, `name[key]` read as the array `name`, and
 * otherwise `.`, space and `[` turned into `_`. So `comment.author_email_<hash>` is
 * WordPress's `comment_author_email_<hash>` cookie.
 */
export function phpName(raw: string): string {
  const name = (raw.split('\0')[0] ?? '').replace(/^ +/, '');
  const open = name.indexOf('[');
  const base = open >= 0 && name.indexOf(']', open) > open ? name.slice(0, open) : name;
  return base.replace(/[. []/g, '_');
}

/** The names of the cookies a `Cookie` header sets, as PHP reads them (it splits on `;` only). */
export function phpCookieNames(header: string | null): string[] {
  return (header ?? '')
    .split(';')
    .map((pair) => phpName(pair.split('=')[0] ?? ''))
    .filter(Boolean);
}

/** The query as PHP's `$_GET` holds it: names as PHP stores them, the last value of each winning. */
export function phpQuery(url: URL): Map<string, string> {
  const query = new Map<string, string>();
  if (url.search === '') return query;
  for (const [name, value] of url.searchParams) query.set(phpName(name), value);
  return query;
}
