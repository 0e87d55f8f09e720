/**
 * PHP's string functions as WordPress's filters use them, on JavaScript strings. PHP works on
 * bytes; every function here only looks at ASCII, which UTF-8 never uses inside a multi-byte
 * character, so on well-formed text the two agree. `\s` in PHP's regexes (no `u` flag) is
 * ASCII whitespace only, unlike JavaScript's: the patterns here spell it out as `[\t-\r ]`.
 */

const PHP_TRIM = ' \t\n\r\0\x0B';

/** `trim($s, $chars)`; PHP's default set without `$chars`. */
export function phpTrim(value: string, chars = PHP_TRIM): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value.charAt(start))) start++;
  while (end > start && chars.includes(value.charAt(end - 1))) end--;
  return value.slice(start, end);
}

/** `strtolower()`: ASCII only, as PHP 8.2 does whatever the locale. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** `addslashes()`: a backslash before `'`, `"`, `\` and NUL (which becomes `\0`). */
export function addslashes(value: string): string {
  return value.replace(/['"\\\0]/g, (c) => (c === '\0' ? '\\0' : `\\${c}`));
}

/** `stripslashes()`: drops each backslash, keeps what it escaped; `\0` becomes NUL. */
export function stripslashes(value: string): string {
  return value.replace(/\\([\s\S]?)/g, (_, next: string) => (next === '0' ? '\0' : next));
}

/** Bytes in UTF-8: `strlen()`. */
export function byteLength(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** `substr($s, 0, $bytes)` for UTF-8 text, without the part of a character it would cut. */
export function cutBytes(value: string, bytes: number): string {
  const encoded = new TextEncoder().encode(value);
  if (encoded.length <= bytes) return value;
  return new TextDecoder().decode(encoded.slice(0, bytes)).replace(/\uFFFD$/, '');
}

const isSpace = (c: string) => c === ' ' || (c >= '\t' && c <= '\r');

/**
 * `strip_tags()` without allowed tags: PHP's own state machine (ext/standard/string.c,
 * php_strip_tags_ex), quotes inside tags, `<?php … ?>`, `<!-- … -->` and `<!DOCTYPE>` included.
 */
export function stripTags(value: string): string {
  let out = '';
  let state = 0;
  let depth = 0;
  let inQuote = '';
  let lc = '';
  let isXml = false;
  let br = 0;
  const at = (i: number) => (i >= 0 && i < value.length ? value.charAt(i) : '\0');
  for (let p = 0; p < value.length; p++) {
    const c = value.charAt(p);
    if (state === 0) {
      if (c === '\0') continue;
      if (c === '<') {
        if (inQuote) continue;
        if (isSpace(at(p + 1))) {
          out += c;
          continue;
        }
        lc = '<';
        state = 1;
      } else if (c === '>') {
        if (depth) depth--;
        else if (!inQuote) out += c;
      } else out += c;
    } else if (state === 1) {
      if (c === '<') {
        if (!inQuote && !isSpace(at(p + 1))) depth++;
      } else if (c === '>') {
        if (depth) depth--;
        else if (!inQuote) {
          lc = '>';
          if (isXml && at(p - 1) === '-') continue;
          inQuote = '';
          state = 0;
          isXml = false;
        }
      } else if (c === '"' || c === "'") {
        if (p !== 0 && (!inQuote || c === inQuote)) inQuote = inQuote ? '' : c;
      } else if (c === '!' && at(p - 1) === '<') {
        state = 3;
        lc = c;
      } else if (c === '?' && at(p - 1) === '<') {
        br = 0;
        state = 2;
      }
    } else if (state === 2) {
      if (c === '(' && lc !== '"' && lc !== "'") {
        lc = '(';
        br++;
      } else if (c === ')' && lc !== '"' && lc !== "'") {
        lc = ')';
        br--;
      } else if (c === '>') {
        if (depth) depth--;
        else if (!inQuote && !br && lc !== '"' && at(p - 1) === '?') {
          inQuote = '';
          state = 0;
        }
      } else if (c === '"' || c === "'") {
        if (p >= 1 && at(p - 1) !== '\\') {
          if (lc === c) lc = '';
          else if (lc !== '\\') lc = c;
          if (p !== 0 && (!inQuote || c === inQuote)) inQuote = inQuote ? '' : c;
        }
      } else if (
        (c === 'l' || c === 'L') &&
        p > 4 &&
        /^<\?xm$/i.test(value.slice(p - 4, p)) &&
        at(p - 3) === '?'
      ) {
        state = 1;
        isXml = true;
      }
    } else if (state === 3) {
      if (c === '>') {
        if (depth) depth--;
        else if (!inQuote) {
          inQuote = '';
          state = 0;
        }
      } else if (c === '"' || c === "'") {
        if (p !== 0 && at(p - 1) !== '\\' && (!inQuote || c === inQuote))
          inQuote = inQuote ? '' : c;
      } else if (c === '-' && at(p - 1) === '-' && at(p - 2) === '!') {
        state = 4;
      } else if ((c === 'e' || c === 'E') && p > 6 && /^doctyp$/i.test(value.slice(p - 6, p))) {
        state = 1;
      }
    } else if (c === '>' && !inQuote && at(p - 1) === '-' && at(p - 2) === '-') {
      inQuote = '';
      state = 0;
    }
  }
  return out;
}

/** Lone surrogates as U+FFFD, as decoding the bytes of a form post would give them. */
export function wellFormed(value: string): string {
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
