import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { storedRows } from '@wp-edge/core';
import { rollupOf, settle } from '../src/counting/shards.ts';

export type StoredPage = {
  page: string;
  views: number;
  visitors: number;
};

/** Every page total the site's rollup holds once its shards have sent what they counted, read from its storage. */
export async function storedPages(siteId: string): Promise<Record<string, StoredPage>> {
  await settle(env, siteId);
  const rows = await runInDurableObject(rollupOf(env, siteId), (_instance, state) =>
    state.storage.sql.exec<StoredPage>('SELECT page, views, visitors FROM page_totals').toArray(),
  );
  return Object.fromEntries(rows.map((row) => [row.page, row]));
}

/** The rows of one table of one Durable Object's SQLite storage. */
export function rowsOf(stub: DurableObjectStub, table: string) {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec(`SELECT * FROM ${table}`).toArray(),
  );
}

/** Every row of every table of one Durable Object's SQLite storage, as JSON. */
export function everyRowOf(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_instance, state) =>
    Object.keys(storedRows(state.storage))
      .map((name) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()))
      .join('\n'),
  );
}
