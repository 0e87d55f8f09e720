import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { syncBlobKey, syncSitePrefix } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from './image-files.ts';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;

beforeAll(async () => {
  state = await freshState();
});
afterAll(() => state.cleanup());

/** A site with two nodes, an image, and a row in every table the Workers write for a site. */
async function busySite(site: string): Promise<string[]> {
  await state.cli(
    'sites',
    'add',
    site,
    '--host',
    `${site}.example`,
    '--host',
    `www.${site}.example`,
  );
  for (const node of ['a', 'b'])
    await state.cli('nodes', 'add', site, `${site}-${node}`, '--origin', 'http://127.0.0.2:8081');
  const folder = path.join(state.dir, `${site}-images`);
  await mkdir(path.join(folder, 'landscape'), { recursive: true });
  await writeFile(path.join(folder, 'landscape/sea.png'), png(1600, 900, site));
  await state.cli('images', 'sync', folder, '--site', site);
  await state.putSync(syncBlobKey(site, 'a'.repeat(64)), 'a chunk of the dump');
  const keys = (
    await state.query(
      `SELECT k.id FROM node_keys k JOIN nodes n ON n.id = k.node_id WHERE n.site_id = '${site}'`,
    )
  ).map((row) => String(row.id));
  const now = Date.now();
  for (const statement of [
    `INSERT INTO comments (id, site_id, post_id, author, author_email, author_url, content, author_ip, user_agent, status, created_at, updated_at) VALUES ('${site}-c1', '${site}', 1, 'Ann', 'ann@example.com', '', 'Hi', '198.51.100.1', 'test', 'approved', ${now}, ${now})`,
    `INSERT INTO comment_log (site_id, comment_id, type, payload, created_at) VALUES ('${site}', '${site}-c1', 'created', '{}', ${now})`,
    `INSERT INTO catalog_posts (site_id, post_id, status, comment_status, permalink, updated_at) VALUES ('${site}', 1, 'publish', 'open', 'https://${site}.example/?p=1', ${now})`,
    `INSERT INTO catalog_comments (site_id, wp_id, post_id, approved) VALUES ('${site}', 7, 1, '1')`,
    `INSERT INTO catalog_sites (site_id, site_url, updated_at) VALUES ('${site}', 'https://${site}.example', ${now})`,
    `INSERT INTO log_retention (site_id, pruned_through, pruned_at) VALUES ('${site}', 0, ${now})`,
    `INSERT INTO node_alerts (node_id, site_id, alerted_at) VALUES ('${site}-a', '${site}', ${now})`,
    `INSERT INTO node_cursors (node_id, site_id, cursor, reported_at) VALUES ('${site}-a', '${site}', 1, ${now})`,
    `INSERT INTO comment_locations (node_id, wp_id, comment_id) VALUES ('${site}-b', 7, '${site}-c1')`,
    `INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES ('${keys[0]}', '${site}-nonce', ${now + 60_000})`,
    `INSERT INTO edge_figures (site_id, minute, name, count) VALUES ('${site}', ${Math.floor(now / 60_000)}, 'route.any', 3)`,
    `INSERT INTO akismet_outbox (site_id, comment_id, verdict, attempts, first_failed_at, next_attempt_at, last_error) VALUES ('${site}', '${site}-c1', 'spam', 1, ${now}, ${now + 300_000}, 'answered 503')`,
  ])
    await state.query(statement);
  await state.cli('status', 'token', site);
  return keys;
}

/** Per table, the rows that name the site, one of its nodes or one of its keys. */
async function rowsOf(site: string, keys: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await state.tables()) {
    const rows = await state.query(`SELECT * FROM ${table}`);
    counts[table] = rows.filter((row) =>
      Object.values(row).some(
        (value) =>
          typeof value === 'string' &&
          (value.includes(site) || keys.some((key) => value.includes(key))),
      ),
    ).length;
  }
  return counts;
}

describe('wp-edge sites remove', () => {
  it('leaves no row of the site in any D1 table, and no snapshot, manifest, image or content generation of it', async () => {
    const doomedKeys = await busySite('doomed');
    const keptKeys = await busySite('kept');
    const before = await rowsOf('doomed', doomedKeys);
    // Every table holds something of the site, so a table added later must be seeded here;
    // but the mark a removal leaves for the router (workers/router/test/remove-site.test.ts).
    expect(Object.entries(before).filter(([, count]) => count === 0)).toEqual([
      ['site_removals', 0],
    ]);

    const removed = await state.cli('sites', 'remove', 'doomed');
    expect(removed).toMatchObject({
      code: 0,
      stdout:
        'removed site doomed; the router empties its view counts, node health and cache purges at its next cron, within a minute\n',
    });

    const after = await rowsOf('doomed', doomedKeys);
    expect(after).toEqual({
      ...Object.fromEntries(Object.keys(before).map((table) => [table, 0])),
      site_removals: 1,
    });
    for (const host of ['doomed.example', 'www.doomed.example'])
      expect(await state.snapshot(host)).toBeUndefined();
    expect(await state.kv('images:doomed')).toBeUndefined();
    expect(await state.r2('doomed/landscape/sea.png')).toBeUndefined();
    expect(await state.syncKeys(syncSitePrefix('doomed'))).toEqual([]);

    expect(await rowsOf('kept', keptKeys)).toEqual(before);
    expect(await state.snapshot('kept.example')).toMatchObject({ id: 'kept' });
    expect(await state.r2('kept/landscape/sea.png')).toEqual(png(1600, 900, 'kept'));
    expect(await state.syncKeys(syncSitePrefix('kept'))).toEqual([
      syncBlobKey('kept', 'a'.repeat(64)),
    ]);
  });
});
