import type { AgentConfig, ContentSyncConfig, Logger } from '@wp-edge/core';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { changeDetector } from './change-detector.ts';
import type { HashCache } from './content-files.ts';
import { importGeneration } from './import-generation.ts';
import { publishGeneration } from './publish.ts';
import { type SyncClient, syncClient } from './sync-client.ts';
import { readSyncState } from './sync-tables.ts';

/** What the node serves, for heartbeats: the generation (its id says when it was dumped). */
export interface ContentState {
  generation?: string;
}

/**
 * One pass of the content sync: the primary publishes a generation when its content changed;
 * any other node imports the newest generation when it is not the one it serves.
 */
export function contentSync(options: {
  agent: AgentConfig & { sync: ContentSyncConfig };
  db: WordPressDb;
  logger: Logger;
  client?: SyncClient;
}) {
  const { agent, db, logger } = options;
  const client = options.client ?? syncClient(agent);
  const prefix = agent.database.tablePrefix;
  const fileHashes: HashCache = new Map();
  const check = changeDetector(db, prefix, agent.sync.contentDir);
  const state: ContentState = {};

  async function pass(): Promise<void> {
    const { role } = await client.status();
    if (role === 'primary') {
      const { changed, settle } = await check();
      if (!changed) return;
      const published = await publishGeneration({
        db,
        client,
        siteId: agent.siteId,
        nodeId: agent.nodeId,
        tablePrefix: prefix,
        contentDir: agent.sync.contentDir,
        fileHashes,
        logger,
      });
      settle();
      state.generation =
        published.generation ?? (await readSyncState(db, 'published_generation')) ?? undefined;
      return;
    }
    await importGeneration({
      db,
      client,
      tablePrefix: prefix,
      contentDir: agent.sync.contentDir,
      keepOptions: agent.sync.keepOptions,
      logger,
    });
    state.generation = (await readSyncState(db, 'applied_generation')) ?? undefined;
  }

  return { pass, state };
}
