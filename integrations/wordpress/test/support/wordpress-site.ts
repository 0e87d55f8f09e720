import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeWordPressConfig } from '@wp-edge/workerd-kit';
import mysql from 'mysql2/promise';

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const WORDPRESS = '/usr/share/wordpress';
const PLUGIN = path.resolve(import.meta.dirname, '../../wp-edge.php');
const MAIL_END = '--wp-edge-test-mail-end--';

/** Debian's WordPress with the plugin loaded, served by `php -S`, its mail captured to a file. */
export interface WordPressSite {
  url: string;
  db: mysql.Connection;
  /** Runs PHP with WordPress loaded, as the CLI (`wp eval` style); returns what it printed. */
  cli(code: string): Promise<string>;
  /** Every mail PHP sent so far, raw (headers and body). */
  mails(): Promise<string[]>;
  stop(): Promise<void>;
}

export type Constants = Record<string, string | boolean>;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('php', args, { timeout: 60_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`php failed: ${stderr || stdout || error.message}`))
        : resolve(stdout),
    ),
  );
}

const phpValue = (value: string | boolean) =>
  typeof value === 'boolean'
    ? String(value)
    : `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

async function waitForServer(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answered = await fetch(url, { redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`php -S did not answer on ${url}`);
}

/**
 * Installs WordPress with its own installer into a fresh database and serves it on
 * `address:port` with the plugin as a mu-plugin (or, with `asPlugin`, as an active plugin),
 * the given wp-config.php constants, and PHP's `sendmail_path` appending to a mailbox file.
 * Debian's WordPress reads its config from /etc/wordpress/config-<address>.php.
 */
export async function startWordPressSite(options: {
  address: string;
  port?: number;
  constants?: Constants;
  asPlugin?: boolean;
}): Promise<WordPressSite> {
  const port = options.port ?? 8100;
  const url = `http://${options.address}:${port}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-plugin-'));
  const name = `wpedge_plugin_${options.address.replaceAll('.', '_')}_${process.pid}`;
  const admin = await mysql.createConnection(MARIADB);
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);

  const mailbox = path.join(dir, 'mailbox');
  const sendmail = path.join(dir, 'sendmail');
  await writeFile(mailbox, '');
  await writeFile(sendmail, `#!/bin/sh\n{ cat; echo '${MAIL_END}'; } >> '${mailbox}'\n`);
  await chmod(sendmail, 0o755);

  const muPlugins = path.join(dir, 'mu-plugins');
  const plugins = path.join(dir, 'plugins');
  await mkdir(muPlugins);
  await mkdir(plugins);
  // The owner's mail setup: a sender address PHPMailer accepts for a site on a bare IP.
  await writeFile(
    path.join(muPlugins, 'test-mail.php'),
    `<?php add_filter( 'wp_mail_from', function () { return 'wordpress@example.com'; } );\n`,
  );
  if (options.asPlugin) {
    await run(['-r', `symlink('${path.dirname(PLUGIN)}', '${plugins}/wp-edge');`]);
  } else {
    await writeFile(path.join(muPlugins, 'wp-edge-loader.php'), `<?php require '${PLUGIN}';\n`);
  }

  const configFile = await writeWordPressConfig({
    address: options.address,
    database: name,
    home: url,
    lines: [
      `define('WPMU_PLUGIN_DIR', '${muPlugins}'); define('WP_PLUGIN_DIR', '${plugins}');`,
      ...Object.entries(options.constants ?? {}).map(
        ([key, value]) => `define('${key}', ${phpValue(value)});`,
      ),
    ],
  });
  const phpArgs = ['-d', `sendmail_path=${sendmail}`];
  const cli = (code: string) =>
    run([
      ...phpArgs,
      '-r',
      `$_SERVER['HTTP_HOST'] = '${options.address}:${port}'; require '${WORDPRESS}/wp-load.php'; ${code}`,
    ]);
  await run([
    '-r',
    `$_SERVER['HTTP_HOST'] = '${options.address}:${port}'; define('WP_INSTALLING', true);
     require '${WORDPRESS}/wp-load.php'; require_once ABSPATH . 'wp-admin/includes/upgrade.php';
     wp_install('Plugin test', 'admin', 'admin@example.com', true, '', 'adminpass');`,
  ]);
  if (options.asPlugin)
    await cli(
      "require_once ABSPATH . 'wp-admin/includes/plugin.php'; echo activate_plugin('wp-edge/wp-edge.php') ?? '';",
    );

  const server: ChildProcess = spawn(
    'php',
    [...phpArgs, '-S', `${options.address}:${port}`, '-t', WORDPRESS],
    { stdio: 'ignore' },
  );
  await waitForServer(url);
  const db = await mysql.createConnection({ ...MARIADB, database: name });
  return {
    url,
    db,
    cli,
    async mails() {
      const text = await readFile(mailbox, 'utf8');
      return text.split(`${MAIL_END}\n`).filter((mail) => mail.trim() !== '');
    },
    async stop() {
      server.kill('SIGTERM');
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
      await rm(configFile, { force: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
