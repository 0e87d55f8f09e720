import { newId, type ReplyMail } from '@wp-edge/core';

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A header value as RFC 2047 encoded words when it is not plain printable ASCII, each word at most 75 characters. */
function headerText(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let word = '';
  for (const char of value) {
    if (encoder.encode(word + char).length > 45) {
      words.push(word);
      word = '';
    }
    word += char;
  }
  words.push(word);
  return words.map((part) => `=?UTF-8?B?${base64(encoder.encode(part))}?=`).join('\r\n ');
}

/** The sender when the site names none: WordPress's own default, `wordpress@` and the site's domain without `www.`. */
export function defaultSender(host: string): string {
  return `wordpress@${host.replace(/^www\./i, '')}`;
}

/**
 * The raw message (RFC 5322) of a reply notification: plain text in UTF-8, with the signed
 * unsubscribe link in `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
 * (RFC 8058), as the plugin's own mail carries them.
 */
export function replyMessage(mail: ReplyMail, from: string, now = new Date()): string {
  const body = base64(encoder.encode(mail.text.replace(/\r?\n/g, '\r\n')))
    .match(/.{1,76}/g)
    ?.join('\r\n');
  return [
    `From: ${from}`,
    `To: ${mail.to}`,
    `Subject: ${headerText(mail.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${newId()}@${from.split('@')[1]}>`,
    `List-Unsubscribe: <${new URL(mail.unsubscribeUrl).href}>`,
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body ?? '',
  ].join('\r\n');
}
