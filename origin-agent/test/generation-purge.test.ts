import type { GenerationPurge } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { publishGeneration } from '../src/sync/publish.ts';
import { syncClient } from '../src/sync/sync-client.ts';
import { startEdge } from './support/edge.ts';
import { quietLogger, syncAgentConfig } from './support/sync-edge.ts';
import { createTestWordPress, type PageLinks, type TestWordPress } from './support/wordpress.ts';

let edge: RunningWorkers;
let wordpress: TestWordPress;
let db: WordPressDb;
let a: Awaited<ReturnType<typeof syncAgentConfig>>;

beforeAll(async () => {
  [edge, wordpress] = await Promise.all([
    startEdge(['127.0.0.1']),
    createTestWordPress({ posts: 3 }),
  ]);
  db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  a = await syncAgentConfig(edge, 'agent-a', wordpress);
  await permalinks('/%postname%/');
  await publish();
});

afterAll(async () => {
  await db?.close();
  await wordpress?.drop();
  await edge?.dispose();
});

async function permalinks(structure: string): Promise<void> {
  await db.pool.query(
    "UPDATE wp_options SET option_value = ? WHERE option_name = 'permalink_structure'",
    [structure],
  );
}

/** Publishes a generation; answers the purge its committed manifest carries. */
async function publish(): Promise<GenerationPurge | undefined> {
  const client = syncClient(a);
  const { generation } = await publishGeneration({
    db,
    client,
    siteId: 'agent',
    nodeId: 'agent-a',
    tablePrefix: 'wp_',
    contentDir: a.sync.contentDir,
    fileHashes: new Map(),
    logger: quietLogger,
  });
  if (!generation) throw new Error('nothing was published');
  return (await client.manifest(generation)).purge;
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** The front page, the site's feeds, and these pages: the purge a post's change makes. */
function expected(links: PageLinks, pages: string[]): string[] {
  return [links.front, ...links.feeds, ...pages].map(pathOf).sort();
}

describe('the purge a generation carries', () => {
  it('names an edited post’s page, shortlink and comments feed, the front page and the feeds, as WordPress links them', async () => {
    const [id = 0] = wordpress.postIds;
    await wordpress.editPost(id, { post_content: 'Edited on the primary' });
    const links = await wordpress.pageLinks([id]);
    const post = links.posts[id];
    expect(post?.page).toMatch(/\/post-1\/$/);
    expect([...((await publish()) as string[])].sort()).toEqual(
      expected(links, [post?.page ?? '', post?.commentsFeed ?? '', post?.shortlink ?? '']),
    );
  });

  it('names a renamed post at its old address and its new one', async () => {
    const id = wordpress.postIds[1] ?? 0;
    const before = (await wordpress.pageLinks([id])).posts[id];
    await wordpress.editPost(id, { post_name: 'renamed-post' });
    const links = await wordpress.pageLinks([id]);
    const after = links.posts[id];
    expect([...((await publish()) as string[])].sort()).toEqual(
      expected(links, [
        before?.page ?? '',
        before?.commentsFeed ?? '',
        after?.page ?? '',
        after?.commentsFeed ?? '',
        after?.shortlink ?? '',
      ]),
    );
  });

  it('names a trashed post at the address it had', async () => {
    const id = wordpress.postIds[2] ?? 0;
    const links = await wordpress.pageLinks([id]);
    const before = links.posts[id];
    await wordpress.editPost(id, 'trash');
    expect([...((await publish()) as string[])].sort()).toEqual(
      expected(links, [before?.page ?? '', before?.commentsFeed ?? '', before?.shortlink ?? '']),
    );
  });

  it('purges nothing when no public post changed', async () => {
    await db.pool.query(
      "UPDATE wp_options SET option_value = 'Renamed' WHERE option_name = 'blogdescription'",
    );
    expect(await publish()).toBeUndefined();
  });

  it('names plain addresses without pretty permalinks', async () => {
    await permalinks('');
    const links = await wordpress.pageLinks([1]);
    const purge = (await publish()) as string[];
    expect(purge).toEqual(expect.arrayContaining(expected(links, [])));
    expect(purge).toContain(pathOf(links.posts[1]?.page ?? ''));
    expect(purge).toContain(pathOf(links.posts[1]?.commentsFeed ?? ''));
    expect(purge).toContain('/?p=1');
  });

  it('purges the whole site when the permalink structure is one it cannot build', async () => {
    await permalinks('/%category%/%postname%/');
    expect(await publish()).toBe('site');
  });
});
