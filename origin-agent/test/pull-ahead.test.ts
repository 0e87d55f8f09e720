import { AGENT_ROUTES, createLogger, MAX_PAGE_EVENTS } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../src/comments/agent-tables.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import type { WordPressDb } from '../src/db/wordpress-db.ts';
import { type EdgeClient, edgeClient } from '../src/edge/edge-client.ts';
import { type AgentNode, agentNodes } from './support/agent-node.ts';
import { SECONDARY_KEY, seedComments, startCommentsEdge } from './support/edge.ts';

const SEEDED = 2_500;
const quiet = createLogger({}, { write: () => {} });
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
const freshNode = agentNodes();
let wordpress: AgentNode;
let db: WordPressDb;

beforeAll(async () => {
  edge = await startCommentsEdge();
  await seedComments(edge, SEEDED);
  wordpress = await freshNode();
  db = wordpress.db;
});
afterAll(() => edge?.dispose());

async function count(sql: string): Promise<number> {
  const [rows] = await db.pool.query<RowDataPacket[]>(sql);
  return Number(rows[0]?.n);
}

/** An older copy of the database swapped in: none of the edge's comments, the cursor at 0. */
async function swapInOlderCopy() {
  await db.pool.query(
    'DELETE c FROM wp_comments c JOIN wp_wp_edge_applied a ON a.comment_id = c.comment_ID',
  );
  await db.pool.query("DELETE FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'");
  await db.pool.query('DELETE FROM wp_wp_edge_applied');
  await db.pool.query("UPDATE wp_wp_edge_state SET value = 0 WHERE name = 'comment_cursor'");
}

describe('pulling the next page while one is applied', () => {
  it('applies several pages a pass, and drops a page pulled ahead of a cursor the database went back from', async () => {
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    const pulledFrom: number[] = [];
    let swapped = false;
    // The real edge; the page pulled after the first is handed over only once the first is
    // in and an older copy has replaced the database meanwhile.
    const swapping: EdgeClient = {
      async call(route, input, options) {
        const pull = route.path === AGENT_ROUTES.comments.path;
        const { after } = input as { after: number };
        if (pull) pulledFrom.push(after);
        const answer = await client.call(route, input, options);
        if (pull && after === MAX_PAGE_EVENTS && !swapped) {
          while ((await readCursor(db)) < MAX_PAGE_EVENTS)
            await new Promise((resolve) => setTimeout(resolve, 5));
          await swapInOlderCopy();
          swapped = true;
        }
        return answer;
      },
    };
    const pass = () =>
      pullAndApply({ db, edge: swapping, logger: quiet, nodeId: 'agent-b', waitSeconds: 0 });
    expect(await pass()).toMatchObject({ applied: MAX_PAGE_EVENTS, behind: true });
    // The third page was pulled ahead too, and left unapplied with the pass.
    expect(pulledFrom).toEqual([0, 1000, 2000]);
    expect(await readCursor(db)).toBe(0);
    expect(await pass()).toMatchObject({ applied: SEEDED, behind: false, lag: 0 });
    expect(pulledFrom.slice(3)).toEqual([0, 1000, 2000]);
    expect(
      await count(
        "SELECT COUNT(DISTINCT meta_value) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'",
      ),
    ).toBe(SEEDED);
    expect(await count('SELECT COUNT(*) AS n FROM wp_wp_edge_applied')).toBe(SEEDED);
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM wp_comments c JOIN wp_wp_edge_applied a ON a.comment_id = c.comment_ID',
      ),
    ).toBe(SEEDED);
  });
});
