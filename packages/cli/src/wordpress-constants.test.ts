import { SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { wordpressConstants } from './wordpress-constants.ts';

const site = (probePath: string): SiteSnapshot => ({
  id: 'blog',
  hosts: ['blog.example'],
  settings: SiteSettings.parse({ health: { probePath } }),
  nodes: [
    { id: 'blog-a', originUrl: 'https://a.example', role: 'primary', weight: 100 },
    { id: 'blog-b', originUrl: 'https://b.example', role: 'secondary', weight: 100 },
  ],
  originSecret: 'f00d',
  publishedAt: new Date(0).toISOString(),
});

describe('the WordPress plugin’s constants for a node', () => {
  it.each([
    [
      'blog-a',
      '/',
      "define( 'WP_EDGE_ORIGIN_SECRET', 'f00d' );\ndefine( 'WP_EDGE_ROLE', 'primary' );",
    ],
    [
      'blog-b',
      "/it's-ok",
      "define( 'WP_EDGE_ORIGIN_SECRET', 'f00d' );\ndefine( 'WP_EDGE_ROLE', 'secondary' );\ndefine( 'WP_EDGE_HEALTH_PATH', '/it\\'s-ok' );",
    ],
  ])('for %s with probe path %s', (nodeId, probePath, expected) => {
    expect(wordpressConstants(site(probePath), nodeId)).toBe(expected);
  });

  it('turns reply notifications on for a site that offers them', () => {
    const offering = {
      ...site('/'),
      settings: SiteSettings.parse({ comments: { replyNotifications: true } }),
    };
    expect(wordpressConstants(offering, 'blog-b')).toBe(
      "define( 'WP_EDGE_ORIGIN_SECRET', 'f00d' );\ndefine( 'WP_EDGE_ROLE', 'secondary' );\ndefine( 'WP_EDGE_REPLY_NOTIFICATIONS', true );",
    );
  });

  it('hands reply notifications to the edge on a site that sends them through the email binding', () => {
    const offering = {
      ...site('/'),
      settings: SiteSettings.parse({
        comments: { replyNotifications: true, replyNotificationsVia: 'email-binding' },
      }),
    };
    expect(wordpressConstants(offering, 'blog-a')).toBe(
      "define( 'WP_EDGE_ORIGIN_SECRET', 'f00d' );\ndefine( 'WP_EDGE_ROLE', 'primary' );\ndefine( 'WP_EDGE_REPLY_NOTIFICATIONS', true );\ndefine( 'WP_EDGE_REPLY_NOTIFICATIONS_VIA', 'email-binding' );",
    );
  });

  it('refuses a node the site does not have', () => {
    expect(() => wordpressConstants(site('/'), 'blog-z')).toThrow('there is no node blog-z');
  });
});
