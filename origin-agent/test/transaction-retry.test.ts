import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWordPress, inTransaction, type WordPressDb } from '../src/db/wordpress-db.ts';

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const name = `wpedge_deadlock_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let admin: mysql.Connection;
let db: WordPressDb;

beforeAll(async () => {
  admin = await mysql.createConnection(MARIADB);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.query(`CREATE TABLE \`${name}\`.rows_ (id INT PRIMARY KEY, v VARCHAR(8))`);
  await admin.query(`CREATE TABLE \`${name}\`.bulk (id INT PRIMARY KEY)`);
  db = connectWordPress({ ...MARIADB, name, tablePrefix: 'wp_' });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin?.end();
});

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('a transaction of the agent', () => {
  it('runs again when InnoDB rolls it back to break a deadlock, and commits', async () => {
    await admin.query(`INSERT INTO \`${name}\`.rows_ VALUES (1, 'old'), (2, 'old')`);
    // The other writer holds row 2 and has changed many rows, so InnoDB picks the agent's
    // lighter transaction as the deadlock's victim.
    const other = await mysql.createConnection({ ...MARIADB, database: name });
    await other.beginTransaction();
    await other.query('INSERT INTO bulk VALUES ?', [Array.from({ length: 200 }, (_, i) => [i])]);
    await other.query("UPDATE rows_ SET v = 'other' WHERE id = 2");

    let attempts = 0;
    let holdsRowOne = false;
    const agent = inTransaction(db, async (connection) => {
      attempts++;
      await connection.query("UPDATE rows_ SET v = 'agent' WHERE id = 1");
      holdsRowOne = true;
      await connection.query("UPDATE rows_ SET v = 'agent' WHERE id = 2");
    });
    await until(() => holdsRowOne);
    // The agent now waits for row 2; asking for row 1 closes the cycle.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await other.query("UPDATE rows_ SET v = 'other' WHERE id = 1");
    await other.commit();
    await other.end();

    await agent;
    expect(attempts).toBe(2);
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      `SELECT id, v FROM \`${name}\`.rows_ ORDER BY id`,
    );
    expect(rows.map((row) => [row.id, row.v])).toEqual([
      [1, 'agent'],
      [2, 'agent'],
    ]);
  });

  it('does not run again after any other error', async () => {
    let attempts = 0;
    await expect(
      inTransaction(db, async (connection) => {
        attempts++;
        await connection.query('SELECT * FROM no_such_table');
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(attempts).toBe(1);
  });
});
