import type { AgentConfig, ContentSyncConfig, Heartbeat, Logger } from '@wp-edge/core';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { changeDetector } from './change-detector.ts';
import type { HashCache } from './content-files.ts';
import { importGeneration } from './import-generation.ts';
import { publishGeneration } from './publish.ts';
import { type SyncClient, syncClient } from './sync-client.ts';
import { readSyncState } from './sync-tables.ts';

/**
 * What heartbeats tell of the content sync: the generation the node serves (its id says when it
 * was dumped), the last pass's failure until a pass succeeds, and the last time this node's own
 * edits were kept before an import.
 */
export type ContentState = Pick<Heartbeat, 'contentGeneration' | 'syncFailure' | 'keptEdits'>;

async function keptEdits(db: WordPressDb): Promise<Heartbeat['keptEdits']> {
  const kept = await readSyncState(db, 'kept_edits');
  return kept ? (JSON.parse(kept) as Heartbeat['keptEdits']) : undefined;
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

  async function syncOnce(): Promise<void> {
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
      state.contentGeneration =
        published.generation ?? (await readSyncState(db, 'published_generation')) ?? undefined;
      return;
    }
    await importGeneration({
      db,
      client,
      tablePrefix: prefix,
      contentDir: agent.sync.contentDir,
      keptDir: agent.sync.keptDir,
      cacheDir: agent.sync.cacheDir,
      keepOptions: agent.sync.keepOptions,
      logger,
    });
    state.contentGeneration = (await readSyncState(db, 'applied_generation')) ?? undefined;
    state.keptEdits = await keptEdits(db);
  }

  /** One pass; a failure is kept in `state` for the heartbeats until a pass succeeds, and thrown. */
  async function pass(): Promise<void> {
    try {
      await syncOnce();
      delete state.syncFailure;
    } catch (error) {
      state.syncFailure = {
        at: new Date().toISOString(),
        error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      };
      throw error;
    }
  }

  return { pass, state };
}
