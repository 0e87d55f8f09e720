import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeWordPressConfig } from '@wp-edge/workerd-kit';
import mysql from 'mysql2/promise';
import { eventually, get } from './http.ts';

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const WORDPRESS = '/usr/share/wordpress';
const PLUGIN = path.resolve(import.meta.dirname, '../../integrations/wordpress');

/** A real WordPress node: Debian's WordPress served by PHP on its own loopback address. */
export interface WordPressNode {
  /** Where the edge reaches the node. */
  originUrl: string;
  database: { host: string; port: number; user: string; password: string; name: string };
  db: mysql.Connection;
  /** Runs PHP `code` with this node's WordPress loaded (as a request to the node would); answers what it printed. */
  php(code: string): Promise<string>;
  /**
   * Adds these lines (the plugin's constants, as `wp-edge nodes wp-config` prints them) to the
   * node's wp-config (replacing any given before); PHP reads it again on the next request.
   */
  addConfig(lines: string): Promise<void>;
  stop(): Promise<void>;
}

function php(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'php',
      args,
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `php failed (are php-cli, php-mysql and wordpress installed?): ${stderr || error.message}`,
              ),
            )
          : resolve(stdout),
    ),
  );
}

/**
 * Installs WordPress with its own installer into a fresh database and serves it on
 * `address:port`, as a node behind the edge would be: its home is the site's address, and
 * it takes the site's host from X-Forwarded-Host, as the README tells operators to do.
 * Debian's WordPress reads its config from /etc/wordpress/config-<address>.php. With `plugin`,
 * the wp-edge plugin is a mu-plugin, installed as the README says (its folder in mu-plugins/
 * and a one-line loader beside it); it does nothing until `addConfig` gives it its constants.
 */
export async function startWordPressNode(options: {
  address: string;
  port: number;
  siteUrl: string;
  title: string;
  /** The node's own `wp-content` (WP_CONTENT_DIR), its uploads served from there; Debian's shared one by default. */
  contentDir?: string;
  plugin?: boolean;
}): Promise<WordPressNode> {
  const name = `wpedge_e2e_${options.address.replaceAll('.', '_')}_${process.pid}`;
  const admin = await mysql.createConnection(MARIADB).catch((error: Error) => {
    throw new Error(`MariaDB is needed on 127.0.0.1:3306 (root, no password): ${error.message}`);
  });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const muPlugins = options.plugin
    ? path.join(await mkdtemp(path.join(tmpdir(), 'wp-edge-mu-plugins-')), 'mu-plugins')
    : undefined;
  if (muPlugins) {
    await mkdir(muPlugins);
    await symlink(PLUGIN, path.join(muPlugins, 'wp-edge'));
    await writeFile(
      path.join(muPlugins, 'wp-edge.php'),
      "<?php require __DIR__ . '/wp-edge/wp-edge.php';\n",
    );
  }
  const lines = [
    "if (!empty($_SERVER['HTTP_X_FORWARDED_HOST'])) $_SERVER['HTTP_HOST'] = $_SERVER['HTTP_X_FORWARDED_HOST'];",
    ...(options.contentDir ? [`define('WP_CONTENT_DIR', '${options.contentDir}');`] : []),
    ...(muPlugins ? [`define('WPMU_PLUGIN_DIR', '${muPlugins}');`] : []),
  ];
  const config = (extra: string[]) =>
    writeWordPressConfig({
      address: options.address,
      database: name,
      home: options.siteUrl,
      lines: [...lines, ...extra],
    });
  const configFile = await config([]);
  await php([
    '-r',
    `$_SERVER['HTTP_HOST'] = '${options.address}'; define('WP_INSTALLING', true);
       require '${WORDPRESS}/wp-load.php'; require_once ABSPATH . 'wp-admin/includes/upgrade.php';
       wp_install('${options.title}', 'admin', 'admin@example.com', true, '', 'adminpass');
       update_option('home', '${options.siteUrl}'); update_option('siteurl', '${options.siteUrl}');`,
  ]);
  const server: ChildProcess = spawn(
    'php',
    [
      '-S',
      `${options.address}:${options.port}`,
      '-t',
      WORDPRESS,
      ...(options.contentDir ? [path.join(import.meta.dirname, 'php-content-router.php')] : []),
    ],
    {
      stdio: 'ignore',
      env: {
        ...process.env,
        ...(options.contentDir ? { NODE_CONTENT_DIR: options.contentDir } : {}),
      },
    },
  );
  const originUrl = `http://${options.address}:${options.port}`;
  await eventually(
    async () => ((await get(`${originUrl}/`, options.address)).status > 0 ? true : undefined),
    20_000,
    `WordPress to answer on ${originUrl}`,
  );
  const db = await mysql.createConnection({ ...MARIADB, database: name });
  return {
    originUrl,
    database: { ...MARIADB, name },
    db,
    php: (code) =>
      php([
        '-r',
        `$_SERVER['HTTP_HOST'] = '${options.address}'; require '${WORDPRESS}/wp-load.php'; ${code}`,
      ]),
    async addConfig(extra) {
      await config([extra]);
    },
    async stop() {
      server.kill('SIGTERM');
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
      await rm(configFile, { force: true });
      if (muPlugins) await rm(path.dirname(muPlugins), { recursive: true, force: true });
    },
  };
}
