import { decodeNumericEntities, normalizeEntities, specialChars } from './entities.ts';
import { asciiLower, phpTrim } from './php.ts';
import { ALLOWED_PROTOCOLS, ALLOWED_TAGS, URI_ATTRIBUTES } from './wordpress-lists.ts';

/*
 * WordPress's kses (wp-includes/kses.php, 6.1) with `$allowedtags`, as `wp_filter_kses` runs it
 * on an anonymous reader's comment. Each regex is PHP's, rewritten for JavaScript: `\s` is
 * `[\t-\r ]` (PHP's, without the `u` flag, is ASCII), `.` is `[^\n]`, and `$` is `(?=\n?$)`
 * (PHP's `$` also matches before a final newline).
 */

/** Comment markup the block parser would rewrite; the edge refuses it rather than guess. */
export class BlockMarkupUnsupported extends Error {
  constructor() {
    super('block editor markup (<!-- wp:… -->) in a comment');
    this.name = 'BlockMarkupUnsupported';
  }
}

/** `wp_kses_no_null()`; `slashZero` removes `\0`-style sequences as its default does. */
export function noNull(text: string, slashZero: boolean): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: PHP's pattern, which matches control characters on purpose
  const stripped = text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, '');
  return slashZero ? stripped.replace(/\\+0+/g, '') : stripped;
}

function badProtocolOnce2(scheme: string): string {
  const bare = asciiLower(noNull(decodeNumericEntities(scheme).replace(/[\t-\r ]/g, ''), true));
  return ALLOWED_PROTOCOLS.includes(bare) ? `${bare}:` : '';
}

function badProtocolOnce(input: string, count: number): string {
  const text = input.replace(/(&#0*58(?![;0-9])|&#x0*3a(?![;a-f0-9]))/gi, '$1;');
  const colon = /:|&#0*58;|&#x0*3a;|&colon;/i.exec(text);
  if (!colon || text.slice(0, colon.index).includes('/?')) return text;
  let rest = phpTrim(text.slice(colon.index + colon[0].length));
  const protocol = badProtocolOnce2(text.slice(0, colon.index));
  if (protocol === 'feed:') {
    if (count > 2) return '';
    rest = badProtocolOnce(rest, count + 1);
    if (rest === '' || rest === '0') return rest;
  }
  return protocol + rest;
}

/** `wp_kses_bad_protocol()` with `wp_allowed_protocols()`. */
export function badProtocol(input: string): string {
  let text = noNull(input, true);
  let original: string;
  let iterations = 0;
  do {
    original = text;
    text = badProtocolOnce(text, 1);
  } while (original !== text && ++iterations < 6);
  return original !== text ? '' : text;
}

/** One attribute as `wp_kses_hair()` returns it. */
export interface HairAttribute {
  name: string;
  value: string;
  whole: string;
  valueless: boolean;
}

const QUOTED = [
  { test: /^"([^"]*)"([\t-\r ]+|\/?(?=\n?$))/, strip: /^"[^"]*"([\t-\r ]+|(?=\n?$))/, quote: '"' },
  { test: /^'([^']*)'([\t-\r ]+|\/?(?=\n?$))/, strip: /^'[^']*'([\t-\r ]+|(?=\n?$))/, quote: "'" },
  {
    test: /^([^\t-\r "']+)([\t-\r ]+|\/?(?=\n?$))/,
    strip: /^[^\t-\r "']+([\t-\r ]+|(?=\n?$))/,
    quote: '"',
  },
];

/** `wp_kses_hair()`: an attribute list split into attributes, the first of each name kept. */
export function ksesHair(input: string): Map<string, HairAttribute> {
  const attributes = new Map<string, HairAttribute>();
  const add = (attribute: HairAttribute) => {
    if (!attributes.has(attribute.name)) attributes.set(attribute.name, attribute);
  };
  let rest = input;
  let mode = 0;
  let name = '';
  while (rest.length !== 0) {
    let working = false;
    if (mode === 0) {
      const match = /^[_a-zA-Z][-_a-zA-Z0-9:.]*/.exec(rest);
      if (match) {
        name = match[0];
        working = true;
        mode = 1;
        rest = rest.slice(name.length);
      }
    } else if (mode === 1) {
      const equals = /^[\t-\r ]*=[\t-\r ]*/.exec(rest);
      const space = /^[\t-\r ]+/.exec(rest);
      if (equals) {
        working = true;
        mode = 2;
        rest = rest.slice(equals[0].length);
      } else if (space) {
        working = true;
        mode = 0;
        add({ name, value: '', whole: name, valueless: true });
        rest = rest.slice(space[0].length);
      }
    } else {
      for (const form of QUOTED) {
        const match = form.test.exec(rest);
        if (!match) continue;
        let value = match[1] ?? '';
        if (URI_ATTRIBUTES.has(asciiLower(name))) value = badProtocol(value);
        add({ name, value, whole: `${name}=${form.quote}${value}${form.quote}`, valueless: false });
        working = true;
        mode = 0;
        rest = rest.replace(form.strip, '');
        break;
      }
    }
    if (!working) {
      rest = rest.replace(/^("[^"]*("|(?=\n?$))|'[^']*('|(?=\n?$))|[^\t-\r ])*[\t-\r ]*/, '');
      mode = 0;
    }
  }
  if (mode === 1) add({ name, value: '', whole: name, valueless: true });
  return attributes;
}

function ksesAttributes(element: string, attributeList: string): string {
  const xhtmlSlash = /[\t-\r ]*\/[\t-\r ]*(?=\n?$)/.test(attributeList) ? ' /' : '';
  const allowed = ALLOWED_TAGS.get(asciiLower(element));
  if (!allowed || allowed.size === 0) return `<${element}${xhtmlSlash}>`;
  let kept = '';
  for (const attribute of ksesHair(attributeList).values()) {
    if (allowed.has(asciiLower(attribute.name))) kept += ` ${attribute.whole}`;
  }
  return `<${element}${kept.replace(/[<>]/g, '')}${xhtmlSlash}>`;
}

function ksesSplit2(match: string): string {
  let text = match.replace(/\\"/g, '"');
  if (!text.startsWith('<')) return '&gt;';
  if (text.startsWith('<!--')) {
    text = text.replaceAll('<!--', '').replaceAll('-->', '');
    for (let next = kses(text); next !== text; next = kses(text)) text = next;
    if (text === '') return '';
    return `<!--${text.replace(/--+/g, '-').replace(/-(?=\n?$)/, '')}-->`;
  }
  const tag = /^<[\t-\r ]*(\/[\t-\r ]*)?([a-zA-Z0-9-]+)([^>]*)>?(?=\n?$)/.exec(text);
  if (!tag) return '';
  const element = tag[2] ?? '';
  if (!ALLOWED_TAGS.has(asciiLower(element))) return '';
  if (phpTrim(tag[1] ?? '') !== '') return `</${element}>`;
  return ksesAttributes(element, tag[3] ?? '');
}

/** `wp_pre_kses_less_than()`: a `<` that opens no tag becomes `&lt;`. */
export function preKsesLessThan(text: string): string {
  return text.replace(/<[^>]*?((?=<)|>|(?=\n?$))/g, (run) =>
    run.includes('>') ? run : specialChars(run, true),
  );
}

/** `wp_pre_kses_block_attributes()` for text without blocks: comments closed by `--->` tidied. */
function preKsesBlocks(text: string): string {
  const tidied =
    text.includes('<!--') && text.includes('--->')
      ? text.replace(
          /<!--([^\n]*?)--->/g,
          (_, inner: string) => `<!--${inner.replace(/-+$/, '')}-->`,
        )
      : text;
  if (/<!--[\t-\r ]+\/?wp:[a-z]/.test(tidied)) throw new BlockMarkupUnsupported();
  return tidied;
}

/** `wp_kses($text, $allowedtags)`: only the elements and attributes readers may use, safe URLs, valid entities. */
export function kses(text: string): string {
  const prepared = preKsesBlocks(preKsesLessThan(normalizeEntities(noNull(text, false))));
  return prepared.replace(/(<!--[^\n]*?(-->|(?=\n?$)))|(<[^>]*(>|(?=\n?$))|>)/g, ksesSplit2);
}
