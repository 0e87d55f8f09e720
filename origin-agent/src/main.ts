import { AGENT_ROUTES, createLogger } from '@wp-edge/core';
import { Command } from 'commander';
import { agentTasks } from './agent-tasks.ts';
import { ensureCatalogTable, publishCatalog } from './catalog/catalog-sync.ts';
import { ensureAgentTables, readCursor, unreportedLocations } from './comments/agent-tables.ts';
import { pullAndApply } from './comments/comment-sync.ts';
import { quarantinedCount } from './comments/quarantine.ts';
import { AgentConfigError, loadAgentConfig } from './config.ts';
import { connectWordPress } from './db/wordpress-db.ts';
import { edgeClient } from './edge/edge-client.ts';
import { countPass, createAgentMetrics } from './metrics/agent-metrics.ts';
import { type MetricsServer, serveMetrics } from './metrics/metrics-server.ts';
import { runForever } from './scheduler.ts';
import { addSyncCommands } from './sync/sync-commands.ts';
import { syncViews } from './views/views-sync.ts';

const logger = createLogger({ service: 'origin-agent' });

const program = new Command('wp-edge-agent')
  .description(
    "wp-edge's origin agent: applies the edge's writes to this node's WordPress database",
  )
  .option(
    '-c, --config <file>',
    'the JSON config `wp-edge nodes agent-config` printed',
    '/etc/wp-edge/agent.json',
  );

const config = () => loadAgentConfig(program.opts<{ config: string }>().config);

program
  .command('check-config')
  .description('validate the config (file and WP_EDGE_* environment) and say what it points at')
  .action(async () => {
    const { nodeId, siteId, edgeUrl, database: db } = await config();
    process.stdout.write(
      `config ok: node ${nodeId} of site ${siteId}, edge ${edgeUrl}, ` +
        `database ${db.user}@${db.host}:${db.port}/${db.name} (tables ${db.tablePrefix}*)\n`,
    );
  });

program
  .command('sync-views')
  .description("copy the edge's view counts into post meta once, then exit")
  .action(async () => {
    const agent = await config();
    const db = connectWordPress(agent.database);
    try {
      await syncViews({ db, edge: edgeClient(agent), config: agent.views, logger });
    } finally {
      await db.close();
    }
  });

program
  .command('status')
  .description(
    "show this node's comment cursor against the edge's log, and what it has yet to tell the edge",
  )
  .action(async () => {
    const agent = await config();
    const db = connectWordPress(agent.database);
    try {
      await ensureAgentTables(db);
      const cursor = await readCursor(db);
      const page = await edgeClient(agent).call(AGENT_ROUTES.comments, {
        after: cursor,
        limit: 1,
      });
      const unreported = await unreportedLocations(db, agent.nodeId, 1000);
      const quarantined = await quarantinedCount(db);
      const health = await edgeClient(agent)
        .call(AGENT_ROUTES.health, {})
        .catch((error: Error) => ({ unknown: error.message }));
      const status = {
        node: agent.nodeId,
        site: agent.siteId,
        edge: agent.edgeUrl,
        cursor,
        edgeHead: page.head,
        behind: page.head > cursor,
        idsNotYetToldToEdge: unreported.length,
        eventsSetAside: quarantined,
        health,
      };
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    } finally {
      await db.close();
    }
  });

program
  .command('publish-catalog')
  .description('publish what changed in the post catalog to the edge once (primary only)')
  .action(async () => {
    const agent = await config();
    const db = connectWordPress(agent.database);
    try {
      await ensureCatalogTable(db);
      const result = await publishCatalog({ db, edge: edgeClient(agent), logger });
      if (!result.primary)
        process.stderr.write('the edge takes the catalog from the primary node only\n');
    } finally {
      await db.close();
    }
  });

program
  .command('once')
  .description('pull the comments the edge has for this node, apply them, and exit')
  .action(async () => {
    const agent = await config();
    const db = connectWordPress(agent.database);
    try {
      await ensureAgentTables(db);
      const edge = edgeClient(agent);
      while (
        (await pullAndApply({ db, edge, logger, nodeId: agent.nodeId, waitSeconds: 0 })).behind
      ) {}
    } finally {
      await db.close();
    }
  });

program
  .command('run')
  .description(
    'run until stopped (SIGTERM): apply comments as they come, copy view counts on schedule',
  )
  .action(async () => {
    const agent = await config();
    const db = connectWordPress(agent.database);
    logger.info('agent started', {
      nodeId: agent.nodeId,
      siteId: agent.siteId,
      edgeUrl: agent.edgeUrl,
    });
    const edge = edgeClient(agent);
    const metrics = createAgentMetrics();
    let metricsServer: MetricsServer | undefined;
    try {
      if (agent.metrics.port !== 0) {
        metricsServer = await serveMetrics(metrics.registry, agent.metrics);
        logger.info('metrics served', {
          url: `http://${agent.metrics.host}:${metricsServer.port}/metrics`,
        });
      }
      await runForever(agentTasks({ agent, db, edge, metrics, logger }), logger, (task, ok) =>
        countPass(metrics, task, ok),
      );
    } finally {
      await metricsServer?.close();
      await db.close();
    }
  });

addSyncCommands(program, config, logger);

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof AgentConfigError ? error.message : (error as Error).stack;
  process.stderr.write(`wp-edge-agent: ${message}\n`);
  process.exitCode = 1;
}
