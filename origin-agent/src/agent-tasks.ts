import type { AgentConfig, Logger } from '@wp-edge/core';
import { ensureCatalogTable, publishCatalog } from './catalog/catalog-sync.ts';
import { ensureAgentTables } from './comments/agent-tables.ts';
import { pullAndApply } from './comments/comment-sync.ts';
import { reportModeration } from './comments/moderation-report.ts';
import { reportNativeComments } from './comments/native-report.ts';
import type { WordPressDb } from './db/wordpress-db.ts';
import type { EdgeClient } from './edge/edge-client.ts';
import { type AgentProgress, sendHeartbeat } from './heartbeat/heartbeat.ts';
import type { AgentMetrics } from './metrics/agent-metrics.ts';
import { type PeriodicTask, retriedOnce } from './scheduler.ts';
import { contentSync } from './sync/content-sync.ts';
import { syncViews } from './views/views-sync.ts';

// How often the primary looks for changed posts and comments to publish to the edge.
const CATALOG_INTERVAL_MS = 30_000;
// How often the node tells the edge it is alive, with its local checks.
const HEARTBEAT_INTERVAL_MS = 10_000;
// How often the primary looks for comments WordPress wrote itself, to enter them in the log.
const NATIVE_COMMENTS_INTERVAL_MS = 1_000;
// How often the primary looks for the owner's changes to edge comments in wp-admin.
const MODERATION_INTERVAL_MS = 5_000;

/**
 * What `wp-edge-agent run` does, task by task. The agent's tables are made by the first
 * pass that needs them, so a database that is away at start is waited for, not fatal; the
 * heartbeat goes on meanwhile and tells the edge the database is down.
 */
export function agentTasks(options: {
  agent: AgentConfig;
  db: WordPressDb;
  edge: EdgeClient;
  metrics: AgentMetrics;
  logger: Logger;
}): PeriodicTask[] {
  const { agent, db, edge, metrics, logger } = options;
  const tablesReady = retriedOnce(async () => {
    await ensureAgentTables(db);
    await ensureCatalogTable(db);
  });
  // How far behind the edge's comment log this node is, as of the last pull, and when views were
  // last copied: heartbeats report both.
  const progress: AgentProgress = {};
  const content = agent.sync
    ? contentSync({ agent: { ...agent, sync: agent.sync }, db, logger })
    : undefined;
  const contentTask: PeriodicTask[] = content
    ? [
        {
          name: 'content sync',
          intervalMs: (agent.sync?.pollSeconds ?? 2) * 1000,
          retryMs: 5_000,
          maxRetryMs: 60_000,
          run: async () => {
            await tablesReady();
            await content.pass();
          },
        },
      ]
    : [];
  return [
    ...contentTask,
    {
      name: 'comment sync',
      intervalMs: 0,
      retryMs: 1_000,
      maxRetryMs: 30_000,
      run: async (_stopping, signal) => {
        await tablesReady();
        const pulled = await pullAndApply({
          db,
          edge,
          logger,
          nodeId: agent.nodeId,
          waitSeconds: 25,
          signal,
        });
        progress.lag = pulled.lag;
        metrics.commentEventsApplied.inc(pulled.applied);
        metrics.commentEventsQuarantined.inc(pulled.quarantined);
        metrics.commentLag.set(pulled.lag);
      },
    },
    {
      name: 'heartbeat',
      intervalMs: HEARTBEAT_INTERVAL_MS,
      run: async () => {
        const health = await sendHeartbeat(db, edge, agent.wordpressUrl, {
          ...progress,
          ...content?.state,
        });
        metrics.nodeUp.set(health.up ? 1 : 0);
      },
    },
    {
      name: 'moderation report',
      intervalMs: MODERATION_INTERVAL_MS,
      retryMs: 5_000,
      maxRetryMs: 60_000,
      run: async () => {
        await tablesReady();
        await reportModeration({ db, edge, logger });
      },
    },
    {
      name: 'native comments report',
      intervalMs: NATIVE_COMMENTS_INTERVAL_MS,
      retryMs: 1_000,
      maxRetryMs: 60_000,
      run: async () => {
        await tablesReady();
        await reportNativeComments({ db, edge, nodeId: agent.nodeId, logger });
      },
    },
    {
      name: 'catalog publish',
      intervalMs: CATALOG_INTERVAL_MS,
      retryMs: 5_000,
      maxRetryMs: CATALOG_INTERVAL_MS,
      run: async () => {
        await tablesReady();
        await publishCatalog({ db, edge, logger });
      },
    },
    {
      name: 'views sync',
      intervalMs: agent.views.intervalSeconds * 1000,
      run: async (stopping) => {
        await syncViews({ db, edge, config: agent.views, logger, stopping });
        progress.viewsCopiedAt = new Date().toISOString();
      },
    },
  ];
}
