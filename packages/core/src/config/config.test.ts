import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldErrors } from '../errors/problem.ts';
import { AgentConfig } from './agent.ts';
import { SeedConfig } from './seed.ts';
import { SiteConfig } from './site.ts';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('site configuration', () => {
  it('fills every setting with its default', () => {
    const site = SiteConfig.parse({ id: 'blog', hosts: ['Blog.Example.com'] });
    expect(site.hosts).toEqual(['blog.example.com']);
    expect(site.settings.comments.floodIntervalSeconds).toBe(15);
    expect(site.settings.cache.ttlSeconds).toBe(300);
    expect(site.settings.security.blockXmlrpc).toBe(true);
    expect(site.nodes).toEqual([]);
    expect(site.settings.failover.standbyNode).toBeUndefined();
    expect(site.settings.views).toEqual({ windowMinutes: 30, maxPaths: 1000 });
  });

  it('takes a secondary as the standby for admin while the primary is down', () => {
    const site = SiteConfig.parse({
      id: 'blog',
      hosts: ['blog.example.com'],
      settings: { failover: { standbyNode: 'vps' } },
      nodes: [
        { id: 'home', originUrl: 'http://127.0.0.2:8081', role: 'primary' },
        { id: 'vps', originUrl: 'http://127.0.0.3:8081' },
      ],
    });
    expect(site.settings.failover.standbyNode).toBe('vps');
  });

  it('defaults a node to a secondary of weight 100 and trims the trailing slash', () => {
    const site = SiteConfig.parse({
      id: 'blog',
      hosts: ['blog.example.com'],
      nodes: [{ id: 'home', originUrl: 'http://127.0.0.2:8081/' }],
    });
    expect(site.nodes[0]).toEqual({
      id: 'home',
      originUrl: 'http://127.0.0.2:8081',
      role: 'secondary',
      weight: 100,
    });
  });

  it.each([
    [{ id: 'Blog!', hosts: ['a.example'] }, 'site id must be 1-63 lowercase letters'],
    [{ id: 'blog', hosts: [] }, 'a site needs at least one host name'],
    [{ id: 'blog', hosts: ['https://a.example/'] }, 'host must be a bare host name'],
    [
      { id: 'blog', hosts: ['a.example'], nodes: [{ id: 'a', originUrl: 'nope' }] },
      'origin must be an http:// or https:// URL',
    ],
    [
      { id: 'blog', hosts: ['a.example'], nodes: [{ id: 'a', originUrl: 'ftp://a.example' }] },
      'origin must be an http:// or https:// URL',
    ],
    [
      { id: 'blog', hosts: ['a.example'], nodes: [{ id: 'a', originUrl: 'http://u:p@a.example' }] },
      'origin must not contain credentials, a query or a fragment',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        nodes: [{ id: 'a', originUrl: 'http://a.example', role: 'leader' }],
      },
      'role must be "primary" or "secondary"',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        nodes: [
          { id: 'a', originUrl: 'http://a.example', role: 'primary' },
          { id: 'b', originUrl: 'http://b.example', role: 'primary' },
        ],
      },
      'site blog has 2 primary nodes; exactly one node may be primary',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        nodes: [
          { id: 'a', originUrl: 'http://a.example' },
          { id: 'a', originUrl: 'http://b.example' },
        ],
      },
      'node id a appears twice',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        settings: {
          comments: {
            webhooks: [{ url: 'https://api.telegram.org/botX/sendMessage', format: 'telegram' }],
          },
        },
      },
      'a telegram webhook needs chatId, the chat its bot posts to',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        settings: { security: { adminAllowlist: ['203.0.113'] } },
      },
      'security.adminAllowlist entries must be IP addresses or IPv4 CIDR blocks',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        settings: { failover: { standbyNode: 'gone' } },
        nodes: [{ id: 'a', originUrl: 'http://a.example', role: 'primary' }],
      },
      'standby node gone is not a node of site blog; list it under nodes as a secondary',
    ],
    [
      {
        id: 'blog',
        hosts: ['a.example'],
        settings: { failover: { standbyNode: 'a' } },
        nodes: [{ id: 'a', originUrl: 'http://a.example', role: 'primary' }],
      },
      'standby node a is the primary; name a secondary of site blog',
    ],
    [
      { id: 'blog', hosts: ['a.example'], settings: { views: { windowMinutes: -1 } } },
      'views.windowMinutes must be between 0 and 1440',
    ],
    [
      { id: 'blog', hosts: ['a.example'], settings: { views: { windowMinutes: 2.5 } } },
      'views.windowMinutes must be a whole number of minutes between 0 and 1440',
    ],
    [
      { id: 'blog', hosts: ['a.example'], settings: { health: { probeIntervalSeconds: 5 } } },
      'health.probeIntervalSeconds must be between 10 and 3600',
    ],
    [
      { id: 'blog', hosts: ['a.example'], settings: { views: { maxPaths: 0 } } },
      'views.maxPaths must be between 1 and 100000',
    ],
    [
      { id: 'blog', hosts: ['a.example'], settings: { comments: { turnstileAction: 'a b' } } },
      'comments.turnstileAction must be 1-32 letters, digits, _ or -',
    ],
  ])('refuses %j with a message that says what to fix', (input, message) => {
    expect(messages(SiteConfig.safeParse(input)).join('\n')).toContain(message);
  });
});

describe('seed file', () => {
  it('refuses a host claimed by two sites', () => {
    const result = SeedConfig.safeParse({
      sites: [
        { id: 'one', hosts: ['a.example'] },
        { id: 'two', hosts: ['a.example'] },
      ],
    });
    expect(messages(result)).toEqual(['host a.example is claimed by both one and two']);
  });

  it('refuses an empty seed file', () => {
    expect(messages(SeedConfig.safeParse({ sites: [] }))).toEqual(['the seed file lists no sites']);
  });
});

describe('agent configuration', () => {
  it('says which required settings are missing', () => {
    const result = AgentConfig.safeParse({ edgeUrl: 'https://blog.example.com' });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error as z.ZodError)).toContainEqual({
      path: 'siteId',
      message: 'is required',
    });
  });

  const valid = {
    edgeUrl: 'https://blog.example.com',
    siteId: 'blog',
    nodeId: 'home',
    keyId: '01JXXXXXXXXXXXXXXXXXXXXXXX',
    secret: 'f'.repeat(64),
    database: { user: 'wordpress', name: 'wordpress' },
  };

  it('defaults the database host, port, password and table prefix', () => {
    expect(AgentConfig.parse(valid).database).toEqual({
      host: '127.0.0.1',
      port: 3306,
      user: 'wordpress',
      password: '',
      name: 'wordpress',
      tablePrefix: 'wp_',
    });
  });

  it('copies view counts into the `views` meta key every five minutes by default', () => {
    expect(AgentConfig.parse(valid).views).toEqual({
      metaKey: 'views',
      intervalSeconds: 300,
      batchSize: 100,
    });
  });

  it('refuses a table prefix that could inject SQL', () => {
    const result = AgentConfig.safeParse({
      ...valid,
      database: { ...valid.database, tablePrefix: 'wp_; DROP' },
    });
    expect(messages(result)).toEqual(['tablePrefix may hold only letters, digits and _']);
  });

  it('refuses a short secret', () => {
    expect(messages(AgentConfig.safeParse({ ...valid, secret: 'short' }))[0]).toMatch(
      /at least 32 characters/,
    );
  });
});
