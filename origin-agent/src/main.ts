import { Command } from 'commander';
import { AgentConfigError, loadAgentConfig } from './config.ts';

const program = new Command('wp-edge-agent')
  .description(
    "wp-edge's origin agent: applies the edge's writes to this node's WordPress database",
  )
  .option(
    '-c, --config <file>',
    'the JSON config `wp-edge nodes agent-config` printed',
    '/etc/wp-edge/agent.json',
  );

program
  .command('check-config')
  .description('validate the config (file and WP_EDGE_* environment) and say what it points at')
  .action(async () => {
    const config = await loadAgentConfig(program.opts<{ config: string }>().config);
    const db = config.database;
    process.stdout.write(
      `config ok: node ${config.nodeId} of site ${config.siteId}, edge ${config.edgeUrl}, ` +
        `database ${db.user}@${db.host}:${db.port}/${db.name} (tables ${db.tablePrefix}*)\n`,
    );
  });

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof AgentConfigError ? error.message : (error as Error).stack;
  process.stderr.write(`wp-edge-agent: ${message}\n`);
  process.exitCode = 1;
}
