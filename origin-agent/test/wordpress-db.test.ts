import { afterAll, describe, expect, it } from 'vitest';
import { connectWordPress } from '../src/db/wordpress-db.ts';

const db = connectWordPress({
  host: '127.0.0.1',
  port: 3306,
  user: 'root',
  password: '',
  name: 'information_schema',
  tablePrefix: 'wp_',
});

afterAll(() => db.close());

describe('the agent’s WordPress database pool', () => {
  it('refuses a stacked query, so a value that escaped its placeholder cannot run a second statement', async () => {
    await expect(db.pool.query("SELECT 'a'; SELECT SLEEP(0)")).rejects.toMatchObject({
      code: 'ER_PARSE_ERROR',
    });
  });

  it('runs one statement as usual', async () => {
    const [rows] = await db.pool.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
