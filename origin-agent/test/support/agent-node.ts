import { afterAll } from 'vitest';
import { ensureAgentTables } from '../../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../../src/db/wordpress-db.ts';
import { createTestWordPress, type TestWordPress } from './wordpress.ts';

/** A node's WordPress database, fresh from WordPress's installer, with the agent's tables. */
export type AgentNode = TestWordPress & { db: WordPressDb };

/**
 * Makes nodes for one test file (call it at the file's top level): each is connected and has
 * the agent's tables, and every node made is closed and dropped after the file's tests.
 */
export function agentNodes(): () => Promise<AgentNode> {
  const made: AgentNode[] = [];
  afterAll(async () => {
    for (const node of made) {
      await node.db.close();
      await node.drop();
    }
  });
  return async () => {
    const wordpress = await createTestWordPress();
    const db = connectWordPress(wordpress.database);
    await ensureAgentTables(db);
    const node = { ...wordpress, db };
    made.push(node);
    return node;
  };
}
