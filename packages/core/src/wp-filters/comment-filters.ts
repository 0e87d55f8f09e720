import { specialChars } from './entities.ts';
import { kses, ksesHair, preKsesLessThan } from './kses.ts';
import { addslashes, asciiLower, cutBytes, phpTrim, stripslashes, stripTags } from './php.ts';
import { escUrlRaw, sanitizeEmail, wpParseUrl } from './urls.ts';

/** `wp_filter_kses()`: kses on slashed data, as every `pre_comment_*` filter gets it. */
const filterKses = (slashed: string) => addslashes(kses(stripslashes(slashed)));

/** `wp_strip_all_tags()`: `strip_tags()` after dropping script and style elements with their text. */
export function stripAllTags(text: string): string {
  return phpTrim(stripTags(text.replace(/<(script|style)[^>]*?>[\s\S]*?<\/\1>/gi, '')));
}

/** `sanitize_text_field()`: no tags, no line breaks or runs of spaces, no `%xx` octets. */
export function sanitizeTextField(text: string): string {
  let filtered = text;
  if (filtered.includes('<')) {
    filtered = stripAllTags(preKsesLessThan(filtered)).replaceAll('<\n', '&lt;\n');
  }
  filtered = phpTrim(filtered.replace(/[\r\n\t ]+/g, ' '));
  let found = false;
  for (let octet = /%[a-f0-9]{2}/i.exec(filtered); octet; octet = /%[a-f0-9]{2}/i.exec(filtered)) {
    filtered = filtered.replaceAll(octet[0], '');
    found = true;
  }
  return found ? phpTrim(filtered.replace(/ +/g, ' ')) : filtered;
}

const WINDOWS_1252: Record<string, string> = {
  128: '&#8364;',
  129: '',
  130: '&#8218;',
  131: '&#402;',
  132: '&#8222;',
  133: '&#8230;',
  134: '&#8224;',
  135: '&#8225;',
  136: '&#710;',
  137: '&#8240;',
  138: '&#352;',
  139: '&#8249;',
  140: '&#338;',
  141: '',
  142: '&#381;',
  143: '',
  144: '',
  145: '&#8216;',
  146: '&#8217;',
  147: '&#8220;',
  148: '&#8221;',
  149: '&#8226;',
  150: '&#8211;',
  151: '&#8212;',
  152: '&#732;',
  153: '&#8482;',
  154: '&#353;',
  155: '&#8250;',
  156: '&#339;',
  157: '',
  158: '&#382;',
  159: '&#376;',
};

/** `convert_invalid_entities()`: Windows-1252 code points written as entities, made Unicode. */
export function convertInvalidEntities(text: string): string {
  return text.replace(/&#(1(?:2[89]|[3-5][0-9]));/g, (_, code: string) => WINDOWS_1252[code] ?? '');
}

/** `is_serialized()` (strict): text that looks like PHP's serialize() output. */
function isSerialized(input: string): boolean {
  const data = phpTrim(input);
  if (data === 'N;') return true;
  if (data.length < 4 || data.charAt(1) !== ':') return false;
  if (!data.endsWith(';') && !data.endsWith('}')) return false;
  const token = data.charAt(0);
  if (token === 's' && data.charAt(data.length - 2) !== '"') return false;
  if ('saOE'.includes(token)) return new RegExp(`^${token}:[0-9]+:`).test(data);
  if ('bid'.includes(token)) return new RegExp(`^${token}:[0-9.E+-]+;(?=\\n?$)`).test(data);
  return false;
}

const unique = (values: string[]) => [...new Set(values)];

function targetedLinkRel(link: string): string {
  const escaped = !/(^|[^\\])['"]/.test(link);
  const attributes = ksesHair(escaped ? link.replace(/\\(['"])/g, '$1') : link);
  if (!attributes.has('target')) return `<a ${link}>`;
  const rel = attributes.get('rel');
  const value = rel
    ? unique(`${rel.value} noopener`.split(/[\t-\r ]/).filter((part) => part !== '')).join(' ')
    : 'noopener';
  attributes.set('rel', {
    name: 'rel',
    value,
    whole: `rel="${specialChars(value, true)}"`,
    valueless: false,
  });
  const rebuilt = [...attributes.values()].map((attribute) => attribute.whole).join(' ');
  return `<a ${escaped ? rebuilt.replace(/['"]/g, '\\$&') : rebuilt}>`;
}

/** `wp_targeted_link_rel()`: `rel="noopener"` on links that open a new window. */
export function wpTargetedLinkRel(text: string): string {
  if (!/target/i.test(text) || !/<a /i.test(text) || isSerialized(text)) return text;
  const links = (part: string) =>
    part.replace(/<a[\t-\r ]([^>]*target[\t-\r ]*=[^>]*)>/gi, (_, inner: string) =>
      targetedLinkRel(inner),
    );
  let out = '';
  let last = 0;
  for (const element of text.matchAll(/<(script|style)[\s\S]*?<\/\1>/gi)) {
    out += links(text.slice(last, element.index)) + element[0];
    last = element.index + element[0].length;
  }
  return out + links(text.slice(last));
}

function relCallback(inner: string, homeHost: string): string {
  const attributes = ksesHair(inner);
  const href = attributes.get('href');
  if (href) {
    const parts = wpParseUrl(href.value) || {};
    if (
      ['http', 'https'].includes(asciiLower(parts.scheme ?? '')) &&
      asciiLower(parts.host ?? '') === asciiLower(homeHost)
    )
      return `<a ${inner}>`;
  }
  let rel = 'nofollow ugc';
  let text = inner;
  const existing = attributes.get('rel');
  if (existing) {
    rel = unique(
      [...existing.value.split(' '), ...rel.split(' ')].map((part) => phpTrim(part)),
    ).join(' ');
    attributes.delete('rel');
    text = phpTrim(
      [...attributes.values()]
        .map((a) => (a.valueless ? `${a.name} ` : `${a.name}="${specialChars(a.value, true)}" `))
        .join(''),
    );
  }
  return `<a ${text} rel="${specialChars(rel, true)}">`;
}

/** `wp_rel_ugc()`: `rel="nofollow ugc"` on every link to another site. */
export function wpRelUgc(slashed: string, homeHost: string): string {
  const text = stripslashes(slashed).replace(/<a ([^\n]+?)>/gi, (_, inner: string) =>
    relCallback(inner, homeHost),
  );
  return addslashes(text);
}

/** The fields of a comment as `wp_handle_comment_submission()` reads them from the form. */
export interface SubmittedComment {
  author: string;
  email: string;
  url: string;
  content: string;
}

/** What `wp_handle_comment_submission()` does to the form's fields before any rule. */
export function readSubmittedComment(form: SubmittedComment): SubmittedComment {
  return {
    author: phpTrim(stripTags(form.author)),
    email: phpTrim(form.email),
    url: phpTrim(form.url),
    content: phpTrim(form.content),
  };
}

/** A comment as WordPress stores it in `wp_comments`. */
export interface StoredComment {
  author: string;
  email: string;
  url: string;
  content: string;
  userAgent: string;
  ip: string;
}

/**
 * What `wp_new_comment()` stores for an anonymous reader's comment (WordPress 6.1's default
 * `pre_comment_*` filters, run by `wp_filter_comment()` on slashed data, then unslashed):
 * the fields as `readSubmittedComment` gives them, the request's user agent and address,
 * and the host of the site's own URL, whose links get no `rel="nofollow ugc"`.
 */
export function wpFilterComment(
  submitted: SubmittedComment,
  request: { userAgent: string; ip: string; homeHost: string },
): StoredComment {
  const author = specialChars(filterKses(sanitizeTextField(addslashes(submitted.author))), false);
  const email = filterKses(sanitizeEmail(phpTrim(addslashes(submitted.email))));
  const url = filterKses(escUrlRaw(stripAllTags(addslashes(submitted.url))));
  const content = filterKses(
    wpTargetedLinkRel(convertInvalidEntities(addslashes(submitted.content))),
  );
  return {
    author: stripslashes(author),
    email: stripslashes(email),
    url: stripslashes(url),
    content: stripslashes(wpRelUgc(content, request.homeHost)),
    userAgent: stripslashes(cutBytes(addslashes(request.userAgent), 254)),
    ip: stripslashes(addslashes(request.ip).replace(/[^0-9a-fA-F:., ]/g, '')),
  };
}
