import type { AgentConfig, ContentSyncConfig, Logger } from '@wp-edge/core';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ensureAgentTables } from '../comments/agent-tables.ts';
import { AgentConfigError } from '../config.ts';
import { connectWordPress } from '../db/wordpress-db.ts';
import { type ImportOptions, importGeneration } from './import-generation.ts';
import { publishGeneration } from './publish.ts';
import type { ImportProgress } from './stage-tables.ts';
import { syncClient } from './sync-client.ts';

type SyncAgentConfig = AgentConfig & { sync: ContentSyncConfig };

function withSync(agent: AgentConfig): SyncAgentConfig {
  if (!agent.sync)
    throw new AgentConfigError(
      'content sync needs "sync": {"contentDir": "/path/to/wp-content"} in the agent config',
    );
  return agent as SyncAgentConfig;
}

/** A progress display on the terminal: one bar for the tables' chunks, one for the files. */
function progressBars(): { progress: ImportProgress; stop(): void } {
  const bars = new cliProgress.MultiBar(
    {
      format: ' {phase} [{bar}] {value}/{total}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  const shown = new Map<string, cliProgress.SingleBar>();
  return {
    progress({ phase, done, total }) {
      let bar = shown.get(phase);
      if (!bar) {
        bar = bars.create(total, 0, { phase: phase.padEnd(6) });
        shown.set(phase, bar);
      }
      bar.update(done);
    },
    stop: () => bars.stop(),
  };
}

async function runImport(
  agent: SyncAgentConfig,
  logger: Logger,
  options: Pick<ImportOptions, 'generation' | 'force'>,
) {
  const db = connectWordPress(agent.database);
  const bars = progressBars();
  try {
    await ensureAgentTables(db);
    const result = await importGeneration({
      db,
      client: syncClient(agent),
      tablePrefix: agent.database.tablePrefix,
      contentDir: agent.sync.contentDir,
      keptDir: agent.sync.keptDir,
      cacheDir: agent.sync.cacheDir,
      keepOptions: agent.sync.keepOptions,
      logger,
      progress: bars.progress,
      ...options,
    });
    bars.stop();
    process.stdout.write(
      result.generation === null
        ? 'the primary has published no generation yet\n'
        : `node serves generation ${result.generation} (${result.imported ? `imported, ${result.filesMoved} files written, ${result.filesRemoved} removed` : 'already'})\n`,
    );
  } finally {
    bars.stop();
    await db.close();
  }
}

/** The content sync's commands: publish, join, restore and snapshots. */
export function addSyncCommands(
  program: Command,
  config: () => Promise<AgentConfig>,
  logger: Logger,
): void {
  program
    .command('publish')
    .description("publish this node's database and wp-content as a new generation (primary only)")
    .action(async () => {
      const agent = withSync(await config());
      const db = connectWordPress(agent.database);
      try {
        await ensureAgentTables(db);
        const result = await publishGeneration({
          db,
          client: syncClient(agent),
          siteId: agent.siteId,
          nodeId: agent.nodeId,
          tablePrefix: agent.database.tablePrefix,
          contentDir: agent.sync.contentDir,
          fileHashes: new Map(),
          logger,
        });
        process.stdout.write(
          result.generation
            ? `published ${result.generation}: ${result.uploadedBlobs} blobs, ${result.uploadedBytes} bytes sent\n`
            : 'nothing changed since the newest generation\n',
        );
      } finally {
        await db.close();
      }
    });

  program
    .command('join')
    .description(
      'make this node (an empty WordPress with its wp-config.php) a full copy of the newest generation',
    )
    .action(async () => runImport(withSync(await config()), logger, {}));

  program
    .command('restore')
    .description(
      'restore this node to a kept generation (the newest by default), with the same atomic swap',
    )
    .option('-g, --generation <id>', 'the generation to restore (see: wp-edge-agent snapshots)')
    .action(async (options: { generation?: string }) =>
      runImport(withSync(await config()), logger, {
        force: true,
        ...(options.generation ? { generation: options.generation } : {}),
      }),
    );

  program
    .command('snapshots')
    .description("list the site's kept generations, newest first")
    .action(async () => {
      const generations = await syncClient(await config()).generations();
      for (const kept of generations)
        process.stdout.write(
          `${kept.generation}  ${kept.createdAt}  ${kept.tables} tables  ${kept.files} files  ${kept.bytes} bytes\n`,
        );
    });
}
