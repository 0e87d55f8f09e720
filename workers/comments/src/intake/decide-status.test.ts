import { SiteSettings } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { countLinks, decideStatus } from './decide-status.ts';

const settings = (comments: Record<string, unknown>) => SiteSettings.parse({ comments }).comments;
const plain = { honeypotFilled: false, links: 0, returningAuthor: false, passwordProtected: false };

describe('the status of a new comment', () => {
  it.each([
    ['auto', plain, 'approved'],
    ['auto', { ...plain, honeypotFilled: true }, 'spam'],
    ['auto', { ...plain, links: 3 }, 'held'],
    ['auto', { ...plain, links: 2 }, 'approved'],
    ['hold-all', { ...plain, returningAuthor: true }, 'held'],
    ['approve-returning', plain, 'held'],
    ['approve-returning', { ...plain, returningAuthor: true }, 'approved'],
    ['approve-returning', { ...plain, returningAuthor: true, links: 5 }, 'held'],
    ['auto', { ...plain, passwordProtected: true }, 'held'],
  ] as const)('in %s mode with %j is %s', (moderation, facts, status) => {
    expect(decideStatus(settings({ moderation }), facts)).toBe(status);
  });
});

describe('counting links', () => {
  it.each([
    ['no links here', 0],
    ['see https://a.example and http://b.example', 2],
    ['<a href="https://a.example">a</a>', 1],
    ['<a href="/relative">b</a> and <A HREF=x>c</A>', 2],
  ])('finds the links in %j: %i', (content, links) => {
    expect(countLinks(content)).toBe(links);
  });
});
