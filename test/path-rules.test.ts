import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../workers/router/src/classify.ts';
import { phpCookieNames, phpQuery } from '../workers/router/src/php-names.ts';
import { refusedPath, sitePath } from '../workers/router/src/site-path.ts';
import { type PhpServers, phpNamesFor, ranFor, startPhpServers } from './support/php-servers.ts';

// The targets path rules exist for, each written every way a client might write it.
const TARGETS = [
  'wp-login.php',
  'xmlrpc.php',
  'wp-comments-post.php',
  'wp-cron.php',
  'wp-admin/',
  'wp-admin/admin-ajax.php',
];
const VARIANTS: ((target: string) => string)[] = [
  (t) => `/${t}`,
  (t) => `//${t}`,
  (t) => `///${t}`,
  (t) => `/./${t}`,
  (t) => `/x/../${t}`,
  (t) => `/x//../${t}`,
  (t) => `/%2e/${t}`,
  (t) => `/x/%2e%2e/${t}`,
  (t) => `/%2F${t}`,
  (t) => `/%2f${t}`,
  (t) => `/x%2F..%2F${t}`,
  (t) => `/%5C${t}`,
  (t) => `/\\${t}`,
  (t) => `/${t.replace('w', '%77')}`,
  (t) => `/${t.replace('.php', '%2Ephp')}`,
  (t) => `/${t.replace('/', '%2F')}`,
  (t) => `/${t.replace('/', '%2f')}`,
  (t) => `/${t}/`,
  (t) => `/${t}/extra`,
  (t) => `/${t}%2F`,
  (t) => `/${t}%2Fextra`,
  (t) => `/${t};x`,
  (t) => `/${t}%3Bx`,
  (t) => `/${t}%00.jpg`,
  (t) => `/${t}%20`,
  (t) => `/${t}.`,
  (t) => `/${t}?x=1`,
  (t) => `/${t}%3Fx=1`,
  (t) => `/${t}#x`,
  (t) => `/${t.toUpperCase()}`,
];
const PATHS = [...new Set(TARGETS.flatMap((target) => VARIANTS.map((variant) => variant(target))))];

// What the router does with a script's requests: scripts that own a session or a write go to the primary.
const PRIMARY_SCRIPTS = /^(wp-login|xmlrpc|wp-cron|wp-signup)\.php$|^wp-admin\//;

/** The path the router resolves a script to: `/wp-admin/index.php` may also be `/wp-admin/`. */
function resolvesTo(resolved: string, script: string): boolean {
  const folder = script.endsWith('/index.php') ? script.slice(0, -'index.php'.length) : undefined;
  const matches = (prefix: string) =>
    resolved === prefix || resolved.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  return matches(`/${script}`) || (folder !== undefined && matches(`/${folder.slice(0, -1)}`));
}

let servers: PhpServers;

beforeAll(async () => {
  servers = await startPhpServers('127.0.0.40', '127.0.0.41');
}, 30_000);
afterAll(() => servers?.stop());

describe('path rules agree with what nginx + php-fpm and PHP’s built-in server run', () => {
  it.each(PATHS)('%s: refused, or classified as the script it runs', async (raw) => {
    // What a Worker sees of the request line, and what the router forwards to a node.
    const url = new URL(`https://blog.example${raw}`);
    if (refusedPath(url)) return;
    const forwarded = `${url.pathname}${url.search}`;
    const resolved = sitePath(url);
    const ran = await Promise.all(
      [servers.nginx, servers.nginxPathInfo, servers.phpServer].map((base) =>
        ranFor(base, forwarded),
      ),
    );
    for (const script of ran.filter((what) => what.endsWith('.php') && what !== 'index.php')) {
      expect(
        resolvesTo(resolved, script),
        `${forwarded} runs ${script}, resolved as ${resolved}`,
      ).toBe(true);
      if (PRIMARY_SCRIPTS.test(script))
        expect(classify('GET', url, new Headers()).destination, `${forwarded} runs ${script}`).toBe(
          'primary',
        );
    }
  });

  it.each(['/%2Fwp-login.php', '/wp-admin%2Fpost.php', '/%5Cxmlrpc.php', '/wp-login.php%00.jpg'])(
    '%s is refused by the router',
    (raw) => {
      expect(refusedPath(new URL(`https://blog.example${raw}`))).toBeDefined();
    },
  );
});

// Names written the ways PHP rewrites them: `.`, space and `[` become `_`, `[…]` makes an array.
const NAMES = [
  'comment_author_abc',
  'comment.author_email_abc',
  'comment%20author_abc',
  'comment[author_abc',
  'comment[author.abc',
  'x.y[z',
  '%20wordpress_logged_in_x',
  'wordpress_logged_in_x[a]',
  'wordpress[logged_in_x]',
  '.method',
  '_method[]',
  'preview%00x',
  'comment%5Fauthor_x',
];

describe('cookie and query names agree with what PHP makes of them', () => {
  it.each(NAMES)('%s', async (name) => {
    const cookie = `${decodeURIComponent(name.replace('%00', ''))}=1`;
    const query = `${name}=1`;
    for (const base of [servers.nginx, servers.phpServer]) {
      const php = await phpNamesFor(base, query, cookie);
      expect(phpCookieNames(cookie), `cookie ${cookie}`).toEqual(php.cookies);
      expect(
        [...phpQuery(new URL(`https://blog.example/?${query}`)).keys()],
        `query ${query}`,
      ).toEqual(php.query);
    }
  });
});
