import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { SHARD_COUNT } from '../src/counting/visitor.ts';

export type StoredPage = {
  page: string;
  views: number;
  visitors: number;
};

/** Every page total the site's shards hold, read from their storage, summed per page. */
export async function storedPages(siteId: string): Promise<Record<string, StoredPage>> {
  const parts = await Promise.all(
    Array.from({ length: SHARD_COUNT }, (_, shard) =>
      runInDurableObject(
        env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName(`${siteId}:${shard}`)),
        (_instance, state) =>
          state.storage.sql
            .exec<StoredPage>('SELECT page, views, visitors FROM page_totals')
            .toArray(),
      ),
    ),
  );
  const pages: Record<string, StoredPage> = {};
  for (const row of parts.flat()) {
    const sum = pages[row.page] ?? { page: row.page, views: 0, visitors: 0 };
    pages[row.page] = {
      page: row.page,
      views: sum.views + row.views,
      visitors: sum.visitors + row.visitors,
    };
  }
  return pages;
}

/** The rows of one table of one Durable Object's SQLite storage. */
export function rowsOf(stub: DurableObjectStub, table: string) {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec(`SELECT * FROM ${table}`).toArray(),
  );
}
