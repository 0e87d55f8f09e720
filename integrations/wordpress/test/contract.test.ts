import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  EDGE_ID_META_KEY,
  HELD_COMMENT_COOKIE,
  NOTIFIED_META_KEY,
  NOTIFY_REPLIES_FIELD,
  NOTIFY_REPLIES_META_KEY,
  ORIGIN_SECRET_HEADER,
  REDIRECT_COMMENT_PARAM,
  REPLY_MAIL_KEY_ID,
  REPLY_MAIL_PATH,
  SIGNATURE_SCHEME,
  WP_APPROVED,
} from '@wp-edge/core';
import { describe, expect, it } from 'vitest';

const CONTRACT = path.resolve(import.meta.dirname, '../includes/class-wp-edge-contract.php');

function phpConstant(name: string): string {
  return execFileSync('php', ['-r', `require '${CONTRACT}'; echo WP_Edge_Contract::${name};`], {
    encoding: 'utf8',
  });
}

describe('the plugin’s contract with the edge', () => {
  it.each([
    ['ORIGIN_SECRET_HEADER', ORIGIN_SECRET_HEADER],
    ['EDGE_ID_META_KEY', EDGE_ID_META_KEY],
    ['REDIRECT_COMMENT_PARAM', REDIRECT_COMMENT_PARAM],
    ['HELD_COMMENT_COOKIE', HELD_COMMENT_COOKIE],
    ['NOTIFIED_META_KEY', NOTIFIED_META_KEY],
    ['NOTIFY_REPLIES_FIELD', NOTIFY_REPLIES_FIELD],
    ['NOTIFY_REPLIES_META_KEY', NOTIFY_REPLIES_META_KEY],
    ['COMMENT_HELD', WP_APPROVED.held],
    ['REPLY_MAIL_PATH', REPLY_MAIL_PATH],
    ['REPLY_MAIL_KEY_ID', REPLY_MAIL_KEY_ID],
    ['SIGNATURE_SCHEME', SIGNATURE_SCHEME],
  ])('the PHP constant %s equals core’s', (name, value) => {
    expect(phpConstant(name)).toBe(value);
  });
});
