import path from 'node:path';
import { fieldErrors, StoredFormatError } from '@wp-edge/core';
import {
  addNode,
  applySeed,
  createSite,
  issueStatusToken,
  ProvisionError,
  readSites,
  removeNode,
  removeSite,
  republish,
  requireSite,
  revokeStatusTokens,
  rotateNodeKey,
} from '@wp-edge/core/provision';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ZodError } from 'zod';
import { type CliStore, imageBucketConfig, withStore } from './bindings.ts';
import { CliError } from './errors.ts';
import { table } from './format.ts';
import { syncProgress } from './images/progress.ts';
import { r2Access } from './images/r2-access.ts';
import { s3Uploader } from './images/s3-uploader.ts';
import { syncImages } from './images/sync.ts';
import { bindingUploader } from './images/uploader.ts';
import { localEdgeUrl } from './local-edge.ts';
import { applyMigrations } from './migrations.ts';
import { agentConfig, listNodes } from './nodes.ts';
import { purge } from './purge.ts';
import { readSeed } from './seed.ts';
import { listSnapshots } from './snapshots.ts';
import { readStatus, statusTarget } from './status/read-status.ts';
import { showStatus } from './status/show-status.ts';
import { nodeWordPressConstants } from './wordpress-constants.ts';
import { applyRemoteMigrations, type Target } from './wrangler.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('must be a whole number');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** What the CLI reads and writes besides its arguments; the tests give their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal, where progress is redrawn in place (not by default). */
  terminal?: boolean;
  /** Opens the target's bindings for one command (by default: in this process, with wrangler). */
  withStore: typeof withStore;
}

/** What a command leaves for the exit code besides failing: `wp-edge status` says 2 for a node down. */
interface Outcome {
  exitCode: number;
}

// `wp-edge status` exits with this while any node is down, so cron and monitoring can act.
const UNHEALTHY_EXIT = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cliProgram(io: CliIo, outcome: Outcome): Command {
  const program = new Command('wp-edge')
    .description('Manage wp-edge sites and nodes, in the local dev state or on the deployed D1.')
    .option(
      '--remote',
      'act on the deployed D1 and KV (through wrangler) instead of the local state',
      false,
    )
    .option(
      '--state <dir>',
      'local state directory, as `npm run dev` uses it',
      path.join(repoRoot, '.wrangler/state'),
    )
    .option(
      '--config <file>',
      'wrangler config naming the D1 database and KV namespace',
      path.join(repoRoot, 'wrangler.toml'),
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  function target(): Target {
    const options = program.opts<{ remote: boolean; state: string; config: string }>();
    return {
      remote: options.remote,
      statePath: path.resolve(options.state),
      configPath: path.resolve(options.config),
    };
  }

  /** Runs a command's work on the target's bindings. */
  function onStore<T>(use: (store: CliStore) => Promise<T>): Promise<T> {
    return io.withStore(target(), use);
  }

  function print(text: string): void {
    io.stdout(`${text}\n`);
  }

  /** Where the agent reaches the edge unless told: the site's host when remote, else the local edge. */
  function edge() {
    return { remote: target().remote, localUrl: localEdgeUrl(io.env) };
  }

  program
    .command('migrate')
    .description('apply the D1 migrations that have not run yet')
    .action(async () => {
      if (target().remote) return print((await applyRemoteMigrations(target())).trim());
      const applied = await onStore((store) => applyMigrations(store.d1));
      print(applied.length > 0 ? `applied ${applied.join(', ')}` : 'no migrations to apply');
    });

  program
    .command('seed <file>')
    .description('create or update the sites and nodes a JSON seed file lists')
    .action(async (file: string) => {
      const seed = await readSeed(file);
      const sites = await onStore((store) => applySeed(store, seed));
      print(`seeded ${sites.map((site) => `${site.id} (${site.nodes.length} nodes)`).join(', ')}`);
    });

  const sites = program.command('sites').description('add, list and remove sites');

  sites
    .command('add <id>')
    .description('add a site answering to one or more host names')
    .requiredOption('--host <name>', 'a host name of the site (repeat for more)', collect)
    .option('--name <name>', 'a display name')
    .action(async (id: string, options: { host: string[]; name?: string }) => {
      const site = await onStore((store) =>
        createSite(store, {
          id,
          hosts: options.host,
          ...(options.name ? { name: options.name } : {}),
        }),
      );
      print(
        `added site ${site.id} (${site.hosts.join(', ')}); add its nodes with: npx wp-edge nodes add ${site.id} <node> --origin <url>`,
      );
    });

  sites
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const all = await onStore((store) => readSites(store.db, 'all'));
      if (options.json) return print(JSON.stringify(all, null, 2));
      print(
        table(
          all.map((site) => ({
            id: site.id,
            name: site.name ?? '',
            hosts: site.hosts.join(','),
            nodes: site.nodes.length,
          })),
        ),
      );
    });

  sites
    .command('remove <id>')
    .description('remove a site with its nodes and keys')
    .action(async (id: string) => {
      await onStore((store) => removeSite(store, id));
      print(
        `removed site ${id}; the router empties its view counts, node health and cache purges at its next cron, within a minute`,
      );
    });

  sites
    .command('publish [id]')
    .description('publish the site snapshots the Workers read from D1 to KV again')
    .action(async (id: string | undefined) => {
      const published = await onStore((store) => republish(store, id));
      print(`published ${published.map((site) => site.id).join(', ') || 'no sites'}`);
    });

  const nodes = program
    .command('nodes')
    .description('add, list and remove nodes, rotate secrets, print agent configs');

  nodes
    .command('add <site> <id>')
    .description('add an origin node to a site; it gets its own signing key')
    .requiredOption(
      '--origin <url>',
      'the URL the edge fetches the node at (its tunnel host name or address)',
    )
    .addOption(
      new Option('--role <role>', 'primary or secondary')
        .choices(['primary', 'secondary'])
        .default('secondary'),
    )
    .option('--weight <n>', 'share of anonymous reads, 0-1000', integer, 100)
    .action(
      async (
        siteId: string,
        id: string,
        options: { origin: string; role: string; weight: number },
      ) => {
        await onStore((store) =>
          addNode(store, siteId, {
            id,
            originUrl: options.origin,
            role: options.role,
            weight: options.weight,
          }),
        );
        print(
          `added ${options.role} node ${id} to ${siteId}; print its agent config with: npx wp-edge nodes agent-config ${id}`,
        );
      },
    );

  nodes
    .command('list [site]')
    .option('--json', 'print JSON')
    .action(async (siteId: string | undefined, options: { json?: boolean }) => {
      const all = await onStore((store) => listNodes(store, siteId));
      if (options.json) return print(JSON.stringify(all, null, 2));
      print(
        table(
          all.map((node) => ({
            site: node.site,
            id: node.id,
            role: node.role,
            weight: node.weight,
            origin: node.originUrl,
          })),
        ),
      );
    });

  nodes.command('remove <id>').action(async (id: string) => {
    await onStore((store) => removeNode(store, id));
    print(`removed node ${id}`);
  });

  nodes
    .command('rotate-secret <id>')
    .description('give a node a new signing key; the old one keeps working for the grace period')
    .option('--grace-hours <n>', 'how long the old key stays valid', integer, 24)
    .action(async (id: string, options: { graceHours: number }) => {
      await onStore((store) => rotateNodeKey(store.db, id, options.graceHours));
      print(
        `node ${id} has a new key; old keys stop working in ${options.graceHours} h. New agent config: npx wp-edge nodes agent-config ${id}`,
      );
    });

  nodes
    .command('wp-config <id>')
    .description(
      "print the wp-config.php lines the WordPress plugin needs on a node: the site's origin secret and the node's role",
    )
    .action(async (id: string) => {
      print(await onStore((store) => nodeWordPressConstants(store, id)));
    });

  nodes
    .command('agent-config <id>')
    .description("print the origin agent's JSON config for a node, with its current secret")
    .option(
      '--edge-url <url>',
      "where the agent reaches the edge (default: the site's first host, or the local edge)",
    )
    .option('--db-host <host>', 'WordPress database host', '127.0.0.1')
    .option('--db-port <port>', 'WordPress database port', integer, 3306)
    .option('--db-user <user>', 'WordPress database user', 'wordpress')
    .option('--db-password <password>', 'WordPress database password', '')
    .option('--db-name <name>', 'WordPress database name', 'wordpress')
    .option('--table-prefix <prefix>', 'WordPress table prefix', 'wp_')
    .option(
      '--wordpress-url <url>',
      "this node's own WordPress address, which each heartbeat checks (e.g. http://127.0.0.1)",
    )
    .action(async (id: string, o: Record<string, string | number | undefined>) => {
      const config = await onStore((store) =>
        agentConfig(
          store,
          id,
          {
            ...(o.edgeUrl ? { edgeUrl: String(o.edgeUrl) } : {}),
            ...(o.wordpressUrl ? { wordpressUrl: String(o.wordpressUrl) } : {}),
            database: {
              host: String(o.dbHost),
              port: Number(o.dbPort),
              user: String(o.dbUser),
              password: String(o.dbPassword),
              name: String(o.dbName),
              tablePrefix: String(o.tablePrefix),
            },
          },
          edge(),
        ),
      );
      print(JSON.stringify(config, null, 2));
    });

  program
    .command('purge <site> [pages...]')
    .description(
      'purge pages (paths, or URLs whose host is ignored) from the edge cache on every host of the site, or the whole site when none are given',
    )
    .option(
      '--edge-url <url>',
      "where the edge is (default: the site's first host, or the local edge)",
    )
    .action(async (siteId: string, pages: string[], options: { edgeUrl?: string }) => {
      const purged = await onStore((store) => purge(store, siteId, pages, options.edgeUrl, edge()));
      print(JSON.stringify(purged));
    });

  const status = program
    .command('status [site]')
    .description(
      `is every node healthy and caught up? one site or all; exits ${UNHEALTHY_EXIT} while any node is down`,
    )
    .option('--json', 'print the status as JSON (one document per site and refresh)')
    .option(
      '--watch [seconds]',
      'print it again every so many seconds (5 by default) until stopped',
    )
    .option(
      '--edge-url <url>',
      "where the edge is (default: the site's first host, or the local edge)",
    )
    .action(
      async (
        siteId: string | undefined,
        options: { json?: boolean; watch?: boolean | string; edgeUrl?: string },
      ) => {
        const targets = await onStore(async (store) => {
          const chosen = await readSites(store.db, siteId ? [siteId] : 'all');
          if (siteId && chosen.length === 0)
            throw new CliError(
              `there is no site ${siteId}; list them with: npx wp-edge sites list`,
            );
          return Promise.all(
            chosen.map((site) => statusTarget(store, site, options.edgeUrl, edge())),
          );
        });
        const everyMs = options.watch
          ? Number(options.watch === true ? 5 : options.watch) * 1000
          : 0;
        if (options.watch && !(everyMs >= 1000))
          throw new CliError('--watch takes a number of seconds, at least 1');
        for (;;) {
          const statuses = await Promise.all(targets.map(readStatus));
          if (options.watch && !options.json) io.stdout('\x1b[2J\x1b[H');
          for (const one of statuses)
            print(options.json ? JSON.stringify(one) : `${showStatus(one)}\n`);
          outcome.exitCode = statuses.every((one) => one.healthy) ? 0 : UNHEALTHY_EXIT;
          if (!options.watch) return;
          await sleep(everyMs);
        }
      },
    );

  status
    .command('token <site>')
    .description("issue a token that opens the site's status page (shown once, kept hashed)")
    .option('--label <text>', 'what or who the token is for', 'status page')
    .option('--revoke', 'revoke every status token of the site instead')
    .action(async (siteId: string, options: { label: string; revoke?: boolean }) => {
      if (options.revoke) {
        const revoked = await onStore((store) => revokeStatusTokens(store.db, siteId));
        return print(`revoked ${revoked} status tokens of ${siteId}`);
      }
      const { host, token } = await onStore(async (store) => ({
        host: (await requireSite(store.db, siteId)).hosts[0],
        token: await issueStatusToken(store.db, siteId, { label: options.label }),
      }));
      print(token);
      io.stderr(
        `open https://${host}/__wp-edge/status?token=<token> once: the browser keeps it in a cookie for 12 h\n`,
      );
    });

  const images = program
    .command('images')
    .description('the random image API: upload a folder of images');

  images
    .command('sync <folder>')
    .description(
      'upload a folder into the image bucket (subfolders are categories) and refresh the manifest; with --remote through R2’s S3 API, with R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY and CLOUDFLARE_ACCOUNT_ID set',
    )
    .requiredOption('--site <id>', 'the site the images are for')
    .option(
      '--category <name>',
      'put every image of the folder in this category (instead of one per subfolder)',
    )
    .option(
      '--delete',
      'remove images of the synced categories that are no longer in the folder',
      false,
    )
    .action(
      async (folder: string, options: { site: string; category?: string; delete: boolean }) => {
        // Remote images go through R2's S3 API, checked for credentials before anything runs.
        const remote = target().remote
          ? s3Uploader(r2Access(io.env, imageBucketConfig(target().configPath)))
          : undefined;
        const result = await onStore((store) =>
          syncImages(store, remote ?? bindingUploader(store.images), folder, {
            site: options.site,
            ...(options.category ? { category: options.category } : {}),
            delete: options.delete,
            progress: syncProgress(io.stdout, io.terminal ?? false),
          }),
        );
        print(
          `uploaded ${result.uploaded}, unchanged ${result.unchanged}, removed ${result.removed}; ${result.total} images in the set`,
        );
      },
    );

  program
    .command('snapshots')
    .description("a site's kept content generations (its backups), from the content sync")
    .command('list <site>')
    .option('--json', 'print JSON')
    .action(async (siteId: string, options: { json?: boolean }) => {
      const rows = await onStore((store) => listSnapshots(store.sync, siteId));
      if (options.json) return print(JSON.stringify(rows, null, 2));
      print(rows.length > 0 ? table(rows) : `site ${siteId} has no generations yet`);
    });
  return program;
}

function explain(error: unknown): string {
  if (
    error instanceof CliError ||
    error instanceof ProvisionError ||
    error instanceof StoredFormatError
  )
    return error.message;
  if (error instanceof ZodError) {
    return `invalid input: ${fieldErrors(error)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ')}`;
  }
  return `unexpected error: ${error instanceof Error ? error.stack : String(error)}`;
}

/**
 * Runs one wp-edge command line (the arguments after `wp-edge`) and returns its exit code.
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  argv: string[],
  io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    terminal: process.stdout.isTTY === true,
    withStore,
  },
): Promise<number> {
  const outcome: Outcome = { exitCode: 0 };
  try {
    await cliProgram(io, outcome).parseAsync(argv, { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(`wp-edge: ${explain(error)}\n`);
    return 1;
  }
}
