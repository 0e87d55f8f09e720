import { badProtocol } from './kses.ts';
import { asciiLower, phpTrim } from './php.ts';

/** What PHP's `parse_url()` finds before the path. */
export interface UrlParts {
  scheme?: string;
  user?: string;
  pass?: string;
  host?: string;
  port?: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: PHP's pattern, which matches control characters on purpose
const controlsToUnderscore = (text: string) => text.replace(/[\x00-\x1F\x7F]/g, '_');
const isDigit = (c: string) => c >= '0' && c <= '9';

function parsePort(digits: string): number | undefined {
  const port = Number.parseInt(digits, 10);
  return port >= 0 && port <= 65535 ? port : undefined;
}

function parseHost(url: string, start: number, parts: UrlParts): UrlParts | false {
  const stop = /[/?#]/.exec(url.slice(start));
  const end = stop ? start + stop.index : url.length;
  let s = start;
  const at = url.lastIndexOf('@', end - 1);
  if (at >= s) {
    const colon = url.indexOf(':', s);
    if (colon !== -1 && colon < at) {
      parts.user = url.slice(s, colon);
      parts.pass = url.slice(colon + 1, at);
    } else parts.user = url.slice(s, at);
    s = at + 1;
  }
  let hostEnd = end;
  const ipv6 = url.charAt(s) === '[' && url.charAt(end - 1) === ']';
  const colon = ipv6 ? -1 : url.lastIndexOf(':', end - 1);
  if (colon >= s) {
    if (parts.port === undefined) {
      const digits = url.slice(colon + 1, end);
      if (digits.length > 5) return false;
      if (digits.length > 0) {
        const port = /^[\t-\r ]*[+-]?[0-9]/.test(digits) ? parsePort(digits) : undefined;
        if (port === undefined) return false;
        parts.port = port;
      }
    }
    hostEnd = colon;
  }
  if (hostEnd - s < 1) return false;
  parts.host = controlsToUnderscore(url.slice(s, hostEnd));
  return parts;
}

/** `parse_url()` up to the host and port (PHP's php_url_parse_ex2); `false` where PHP gives up. */
export function parseUrl(url: string): UrlParts | false {
  const parts: UrlParts = {};
  const relative = () => (url.startsWith('//') ? parseHost(url, 2, parts) : parts);
  const hostAfterPort = () => parseHost(url, url.startsWith('//') ? 2 : 0, parts);
  const e = url.indexOf(':');
  const portAt = (from: number): UrlParts | false => {
    let pp = from + 1;
    while (pp < url.length && pp - from - 1 < 6 && isDigit(url.charAt(pp))) pp++;
    const length = pp - from - 1;
    if (length > 0 && length < 6 && (pp === url.length || url.charAt(pp) === '/')) {
      const port = parsePort(url.slice(from + 1, pp));
      if (port === undefined) return false;
      parts.port = port;
      return hostAfterPort();
    }
    if (length === 0 && pp === url.length) return false;
    return relative();
  };
  if (e > 0) {
    const scheme = url.slice(0, e);
    if (!/^[a-zA-Z0-9+.-]*$/.test(scheme)) {
      const question = url.indexOf('?');
      if (e + 1 < url.length && question !== -1 && e < question) return portAt(e);
      return relative();
    }
    if (e + 1 === url.length) return { scheme: controlsToUnderscore(scheme) };
    if (url.charAt(e + 1) !== '/') {
      let p = e + 1;
      while (p < url.length && isDigit(url.charAt(p))) p++;
      if ((p === url.length || url.charAt(p) === '/') && p - e < 7) return portAt(e);
      return { scheme: controlsToUnderscore(scheme) };
    }
    parts.scheme = controlsToUnderscore(scheme);
    if (url.charAt(e + 2) !== '/') return parts;
    if (asciiLower(scheme) === 'file' && url.charAt(e + 3) === '/') return parts;
    return parseHost(url, e + 3, parts);
  }
  if (e === 0) return portAt(0);
  return relative();
}

/** `wp_parse_url()`: like parse_url, also for `//host` and `/path`. */
export function wpParseUrl(url: string): UrlParts | false {
  if (url.startsWith('//')) {
    const parts = parseUrl(`placeholder:${url}`);
    return parts && { ...parts, scheme: undefined };
  }
  if (url.startsWith('/')) {
    const parts = parseUrl(`placeholder://placeholder${url}`);
    return parts && { ...parts, scheme: undefined, host: undefined };
  }
  return parseUrl(url);
}

function deepReplace(search: string[], subject: string): string {
  let text = subject;
  for (;;) {
    const next = search.reduce((current, needle) => current.replaceAll(needle, ''), text);
    if (next === text) return text;
    text = next;
  }
}

function encodeBracketsAfterHost(url: string): string {
  const parts = wpParseUrl(url) || {};
  let front = '';
  if (parts.scheme !== undefined) front += `${parts.scheme}://`;
  else if (url.startsWith('/')) front += '//';
  if (parts.user !== undefined) front += parts.user;
  if (parts.pass !== undefined) front += `:${parts.pass}`;
  if (parts.user !== undefined || parts.pass !== undefined) front += '@';
  if (parts.host !== undefined) front += parts.host;
  if (parts.port !== undefined) front += `:${parts.port}`;
  const dirty = front === '' ? url : url.replaceAll(front, '');
  const clean = dirty.replaceAll('[', '%5B').replaceAll(']', '%5D');
  return dirty === '' ? url : url.replaceAll(dirty, clean);
}

/** `esc_url_raw()` (`sanitize_url()`): WordPress's URL cleaning for the database. */
export function escUrlRaw(input: string): string {
  if (input === '') return input;
  let url = input
    // biome-ignore lint/suspicious/noControlCharactersInRegex: PHP's pattern, which matches control characters on purpose
    .replace(/^[ \t\n\r\0\x0B]+/, '')
    .replaceAll(' ', '%20')
    .replace(/[^a-z0-9\-~+_.?#=!&;,/:%@$|*'()[\]\u0080-\uffff]/gi, '');
  if (url === '') return url;
  if (!asciiLower(url).startsWith('mailto:')) url = deepReplace(['%0d', '%0a', '%0D', '%0A'], url);
  url = url.replaceAll(';//', '://');
  if (
    !url.includes(':') &&
    !['/', '#', '?'].includes(url.charAt(0)) &&
    !/^[a-z0-9-]+?\.php/i.test(url)
  )
    url = `http://${url}`;
  if (url.includes('[') || url.includes(']')) url = encodeBracketsAfterHost(url);
  if (url.startsWith('/')) return url;
  const good = badProtocol(url);
  return asciiLower(good) !== asciiLower(url) ? '' : good;
}

/** `sanitize_email()`: what WordPress keeps of an address; '' when nothing valid is left. */
export function sanitizeEmail(email: string): string {
  if (new TextEncoder().encode(email).length < 6) return '';
  const at = email.indexOf('@', 1);
  if (at === -1) return '';
  const local = email.slice(0, at).replace(/[^a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]/g, '');
  if (local === '') return '';
  let domain = email.slice(at + 1).replace(/\.{2,}/g, '');
  if (domain === '') return '';
  domain = phpTrim(domain, ' \t\n\r\0\x0B.');
  if (domain === '') return '';
  const subs = domain.split('.');
  if (subs.length < 2) return '';
  const kept = subs
    .map((sub) => phpTrim(sub, ' \t\n\r\0\x0B-').replace(/[^a-z0-9-]+/gi, ''))
    .filter((sub) => sub !== '');
  if (kept.length < 2) return '';
  return `${local}@${kept.join('.')}`;
}
