import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { catalogPosts, preparedQuery, runPrepared } from '../src/db/index.ts';

const postsOf = preparedQuery((db) =>
  db
    .select({ postId: catalogPosts.postId, passwordProtected: catalogPosts.passwordProtected })
    .from(catalogPosts)
    .where(eq(catalogPosts.siteId, sql.placeholder('siteId')))
    .orderBy(catalogPosts.postId),
);

const addPost = preparedQuery((db) =>
  db
    .insert(catalogPosts)
    .values({
      siteId: sql.placeholder('siteId'),
      postId: sql.placeholder('postId'),
      status: 'publish',
      commentStatus: 'open',
      permalink: sql.placeholder('permalink'),
      passwordProtected: sql.placeholder('passwordProtected'),
      updatedAt: 0,
    })
    .returning({ postId: catalogPosts.postId }),
);

describe('queries prepared once', () => {
  it('bind new values on every run, in one batch, and read answers as drizzle does', async () => {
    const post = (postId: number, passwordProtected: boolean) =>
      addPost(env.DB, {
        siteId: 'prepared',
        postId,
        permalink: `https://blog.example/?p=${postId}`,
        passwordProtected,
      });
    const [first, second, rows] = await runPrepared(env.DB, [
      post(1, false),
      post(2, true),
      postsOf(env.DB, { siteId: 'prepared' }),
    ]);
    expect(first).toEqual([{ postId: 1 }]);
    expect(second).toEqual([{ postId: 2 }]);
    // A boolean column is encoded and decoded as its column says, placeholders included.
    expect(rows).toEqual([
      { postId: 1, passwordProtected: false },
      { postId: 2, passwordProtected: true },
    ]);
    const [other] = await runPrepared(env.DB, [postsOf(env.DB, { siteId: 'another' })]);
    expect(other).toEqual([]);
    const drizzled = await drizzle(env.DB)
      .select({ postId: catalogPosts.postId, passwordProtected: catalogPosts.passwordProtected })
      .from(catalogPosts)
      .where(eq(catalogPosts.siteId, 'prepared'))
      .orderBy(catalogPosts.postId);
    expect(rows).toEqual(drizzled);
  });

  it('refuses a run that leaves a placeholder without a value', () => {
    expect(() => postsOf(env.DB, {})).toThrow(/No value for placeholder "siteId"/);
  });

  it('rolls the whole batch back when one statement fails', async () => {
    const add = (postId: number) =>
      addPost(env.DB, {
        siteId: 'rolled-back',
        postId,
        permalink: 'https://blog.example/',
        passwordProtected: false,
      });
    await expect(runPrepared(env.DB, [add(1), add(1)])).rejects.toThrow(/UNIQUE/);
    const [rows] = await runPrepared(env.DB, [postsOf(env.DB, { siteId: 'rolled-back' })]);
    expect(rows).toEqual([]);
  });
});
