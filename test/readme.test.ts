import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SiteSettings, settingsTable } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { README_FILE, settingsBlockOf } from '../scripts/readme-settings.ts';

const readme = await readFile(README_FILE, 'utf8');
const WORKERS = ['router', 'comments', 'views', 'images', 'sync'] as const;
const configPath = (worker: string) =>
  path.resolve(import.meta.dirname, '../workers', worker, 'wrangler.jsonc');

/** The settings the README's table lists, by path, with the defaults it gives (JSON). */
function documentedDefaults(): Record<string, unknown> {
  const rows = settingsBlockOf(readme)
    .split('\n')
    .slice(2)
    .map((row) => row.split('|').map((cell) => cell.trim().replace(/^`|`$/g, '')));
  return Object.fromEntries(
    rows.map(([, setting, value]) => [
      setting,
      value === 'none (optional)' ? undefined : JSON.parse(value ?? ''),
    ]),
  );
}

describe('the README’s site settings', () => {
  it('are the table the schema gives (npm run docs:settings writes it)', () => {
    expect(settingsBlockOf(readme)).toBe(settingsTable());
  });

  it('list every setting with the default SiteSettings.parse({}) fills in', () => {
    const defaults = SiteSettings.parse({});
    const parsed = Object.fromEntries(
      Object.entries(SiteSettings.shape).flatMap(([section, schema]) =>
        Object.keys(schema.unwrap().shape).map((field) => [
          `${section}.${field}`,
          (defaults as Record<string, Record<string, unknown>>)[section]?.[field],
        ]),
      ),
    );
    expect(documentedDefaults()).toEqual(parsed);
    expect(documentedDefaults()).toMatchObject({
      'comments.rateLimitCount': 10,
      'comments.rateLimitWindowSeconds': 3600,
      'comments.notify': 'all',
    });
  });
});

describe('the deploy steps', () => {
  const configs = WORKERS.map((worker) => ({
    worker,
    config: unstable_readConfig({ config: configPath(worker) }),
  }));

  it('name exactly the Workers whose wrangler.jsonc holds the D1 placeholder', () => {
    const step =
      /`wp-edge-database` \(the D1 id, in ([^)]*)\)/.exec(readme.replace(/\s+/g, ' '))?.[1] ?? '';
    const named = [...step.matchAll(/`([a-z]+)`/g)].map((match) => match[1]);
    const withD1 = configs
      .filter(({ config }) => config.d1_databases.length > 0)
      .map(({ worker }) => worker);
    expect(named).toEqual(withD1);
    for (const { config } of configs)
      for (const database of config.d1_databases)
        expect(database.database_id).toBe('wp-edge-database');
  });

  it('find the KV placeholder in every Worker’s wrangler.jsonc', () => {
    expect(readme.replace(/\s+/g, ' ')).toContain(
      '`wp-edge-site-config` (the KV id, in every Worker)',
    );
    for (const { config } of configs)
      expect(config.kv_namespaces).toEqual([
        expect.objectContaining({ id: 'wp-edge-site-config' }),
      ]);
  });

  it.each(WORKERS)(
    'have %s’s wrangler.jsonc ask for a D1 id only when it binds D1',
    async (worker) => {
      const text = await readFile(configPath(worker), 'utf8');
      const header = text.slice(0, text.indexOf('{'));
      const config = unstable_readConfig({ config: configPath(worker) });
      expect(header.includes('D1'), header).toBe(config.d1_databases.length > 0);
    },
  );
});
