import { ALLOWED_ENTITY_NAMES, HTML401_ENTITY_NAMES } from './wordpress-lists.ts';

/** A value WordPress itself cannot filter: PHP stops with a fatal error, and stores nothing. */
export class WordPressWouldFail extends Error {
  constructor(reason: string) {
    super(`WordPress cannot store this comment: ${reason}`);
    this.name = 'WordPressWouldFail';
  }
}

/** `valid_unicode()`. */
function validUnicode(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** PHP's `empty()` on a regex group: '' and '0' are empty. */
const phpEmpty = (value: string) => value === '' || value === '0';

/** `wp_kses_normalize_entities()` in the HTML context: every `&` either an entity WordPress allows or `&amp;`. */
export function normalizeEntities(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replace(/&amp;([A-Za-z]{2,8}[0-9]{0,2});/g, (_, name: string) =>
      ALLOWED_ENTITY_NAMES.has(name) ? `&${name};` : `&amp;${name};`,
    )
    .replace(/&amp;#(0*[0-9]{1,7});/g, (_, digits: string) => {
      if (phpEmpty(digits)) return '';
      if (!validUnicode(Number.parseInt(digits, 10))) return `&amp;#${digits};`;
      return `&#${digits.replace(/^0+/, '').padStart(3, '0')};`;
    })
    .replace(/&amp;#[Xx](0*[0-9A-Fa-f]{1,6});/g, (_, hex: string) => {
      if (phpEmpty(hex)) return '';
      return validUnicode(Number.parseInt(hex, 16))
        ? `&#x${hex.replace(/^0+/, '')};`
        : `&amp;#x${hex};`;
    });
}

const PHP_INT_MAX = 2n ** 63n - 1n;

/** PHP's `chr()` of a number written in a string: the low byte, or a fatal error past PHP's integers. */
function chr(value: bigint): string {
  if (value > PHP_INT_MAX) throw new WordPressWouldFail('a numeric entity too large for PHP');
  return String.fromCharCode(Number(value % 256n));
}

/** `wp_kses_decode_entities()`: numeric entities to bytes (PHP's `chr`, so modulo 256). */
export function decodeNumericEntities(text: string): string {
  return text
    .replace(/&#([0-9]+);/g, (_, digits: string) => chr(BigInt(digits)))
    .replace(/&#[Xx]([0-9A-Fa-f]+);/g, (_, hex: string) => chr(BigInt(`0x${hex}`)));
}

/** Whether PHP's `htmlspecialchars(…, double_encode: false)` keeps the `&…;` at `offset` as an entity. */
function keepsEntity(text: string, offset: number): boolean {
  const entity = /&(?:#(?:[xX](?:0[xX])?[0-9a-fA-F]+|[0-9]+)|[a-zA-Z0-9]+);/y;
  entity.lastIndex = offset;
  const match = entity.exec(text);
  if (!match) return false;
  const body = match[0].slice(1, -1);
  if (!body.startsWith('#')) return HTML401_ENTITY_NAMES.has(body);
  const hex = /^#[xX](?:0[xX])?([0-9a-fA-F]+)$/.exec(body);
  const value = hex ? Number.parseInt(hex[1] ?? '', 16) : Number.parseInt(body.slice(1), 10);
  return value <= 0x10ffff;
}

/**
 * `_wp_specialchars($text, $quotes ? ENT_QUOTES : ENT_NOQUOTES)`, as esc_html() and the
 * comment author's filter call it: entities normalised, then `&`, `<`, `>` (and quotes)
 * encoded without encoding an entity twice.
 */
export function specialChars(text: string, quotes: boolean): string {
  if (text === '' || !/[&<>"']/.test(text)) return text;
  const normalized = normalizeEntities(text);
  return normalized.replace(/[&<>"']/g, (c, offset: number) => {
    if (c === '&') return keepsEntity(normalized, offset) ? c : '&amp;';
    if (c === '<') return '&lt;';
    if (c === '>') return '&gt;';
    if (!quotes) return c;
    return c === '"' ? '&quot;' : '&#039;';
  });
}
