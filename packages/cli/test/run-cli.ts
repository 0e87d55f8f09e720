import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../bin/wp-edge.js');
const wrangler = path.join(
  path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin/wrangler.js',
);
const config = path.resolve(import.meta.dirname, '../../../wrangler.toml');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A private local state directory with the D1 migrations applied, and ways to drive and inspect it. */
export async function freshState() {
  const state = await mkdtemp(path.join(tmpdir(), 'wp-edge-cli-'));
  const cli = (...args: string[]) => exec(bin, ['--state', state, ...args]);
  const cliWithEnv = (env: Record<string, string>, ...args: string[]) =>
    exec(bin, ['--state', state, ...args], env);
  const migrated = await cli('migrate');
  if (migrated.code !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
  return {
    /** The state directory, also a place for the test's own files; removed by `cleanup`. */
    dir: state,
    cli,
    /** The CLI with these environment variables set. */
    cliWithEnv,
    /** The site snapshot published under a host, or undefined. */
    async snapshot(host: string): Promise<Record<string, unknown> | undefined> {
      const run = await exec(wrangler, [
        'kv',
        'key',
        'get',
        `host:${host}`,
        '--binding',
        'SITE_CONFIG',
        '--local',
        '--persist-to',
        state,
        '--config',
        config,
        '--text',
      ]);
      const text = run.stdout.trim();
      return text.startsWith('{') ? JSON.parse(text) : undefined;
    },
    /** A KV entry of the site-config namespace, or undefined. */
    async kv(key: string): Promise<string | undefined> {
      const run = await exec(wrangler, [
        'kv',
        'key',
        'get',
        key,
        '--binding',
        'SITE_CONFIG',
        '--local',
        '--persist-to',
        state,
        '--config',
        config,
        '--text',
      ]);
      return run.stdout.trim() === 'Value not found' ? undefined : run.stdout;
    },
    /** The bytes of an object of the image bucket. */
    async r2(key: string): Promise<Buffer> {
      return new Promise((resolve, reject) =>
        execFile(
          process.execPath,
          [
            wrangler,
            'r2',
            'object',
            'get',
            `wp-edge-images/${key}`,
            '--pipe',
            '--local',
            '--persist-to',
            state,
            '--config',
            config,
          ],
          { encoding: 'buffer', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
    },
    /** Rows of an SQL query on the local D1. */
    async query(sql: string): Promise<Record<string, unknown>[]> {
      const run = await exec(wrangler, [
        'd1',
        'execute',
        'wp-edge',
        '--local',
        '--persist-to',
        state,
        '--config',
        config,
        '--json',
        '--command',
        sql,
      ]);
      return JSON.parse(run.stdout)[0].results;
    },
    cleanup: () => rm(state, { recursive: true, force: true }),
  };
}
