import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/d1';
import { getPlatformProxy } from 'wrangler';
import type { CliStore, ImagesBinding } from '../src/bindings.ts';
import { runCli } from '../src/main.ts';
import type { D1Binding } from '../src/migrations.ts';

const bin = path.resolve(import.meta.dirname, '../bin/wp-edge.js');
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

interface LocalBindings {
  DB: Parameters<typeof drizzle>[0] & D1Binding;
  SITE_CONFIG: CliStore['kv'];
  IMAGES_BUCKET: ImagesBinding & {
    get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  };
  SYNC_BUCKET: CliStore['sync'] & { put(key: string, value: string): Promise<unknown> };
}

/**
 * A private local state directory with the D1 migrations applied, the CLI to drive it, and
 * the bindings to inspect it. The CLI runs in this process on the same bindings (one
 * platform proxy per file, not one wrangler process per command); `bin` runs the real
 * command in its own process. Any binding error fails the test; only a missing entry
 * reads as undefined.
 */
export async function freshState() {
  const state = await mkdtemp(path.join(tmpdir(), 'wp-edge-cli-'));
  const local = await getPlatformProxy<LocalBindings>({
    configPath: config,
    persist: { path: path.join(state, 'v3') },
    remoteBindings: false,
  });
  const { DB, SITE_CONFIG, IMAGES_BUCKET, SYNC_BUCKET } = local.env;
  const store: CliStore = {
    db: drizzle(DB),
    d1: DB,
    kv: SITE_CONFIG,
    images: IMAGES_BUCKET,
    sync: SYNC_BUCKET,
  };
  const cliWithEnv = async (env: Record<string, string>, ...args: string[]): Promise<CliRun> => {
    const run = { code: 0, stdout: '', stderr: '' };
    run.code = await runCli(['--state', state, ...args], {
      stdout: (text) => {
        run.stdout += text;
      },
      stderr: (text) => {
        run.stderr += text;
      },
      env: { ...process.env, ...env },
      withStore: (target, use) => {
        if (target.statePath !== state) throw new Error(`the CLI chose ${target.statePath}`);
        return use(store);
      },
    });
    return run;
  };
  const cli = (...args: string[]) => cliWithEnv({}, ...args);
  const migrated = await cli('migrate');
  if (migrated.code !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
  return {
    /** The state directory, also a place for the test's own files; removed by `cleanup`. */
    dir: state,
    /** The bindings the CLI acts on, for calling its functions directly. */
    store,
    cli,
    /** The CLI with these environment variables set. */
    cliWithEnv,
    /** The `wp-edge` command itself, in its own process, on the same state directory. */
    bin: (...args: string[]) => exec(bin, ['--state', state, ...args]),
    /** The site snapshot published under a host, or undefined when there is none. */
    async snapshot(host: string): Promise<Record<string, unknown> | undefined> {
      const text = await SITE_CONFIG.get(`host:${host}`, 'text');
      return text === null ? undefined : JSON.parse(text);
    },
    /** A KV entry of the site-config namespace, or undefined when there is none. */
    async kv(key: string): Promise<string | undefined> {
      return (await SITE_CONFIG.get(key, 'text')) ?? undefined;
    },
    /** Writes a KV entry of the site-config namespace, as a Worker or an older CLI might have. */
    putKv: (key: string, value: string) => SITE_CONFIG.put(key, value),
    /** The bytes of an object of the image bucket, or undefined when there is none. */
    async r2(key: string): Promise<Buffer | undefined> {
      const object = await IMAGES_BUCKET.get(key);
      return object ? Buffer.from(await object.arrayBuffer()) : undefined;
    },
    /** Writes an object of the content sync's bucket, as the sync Worker would have. */
    putSync: (key: string, value: string) => SYNC_BUCKET.put(key, value),
    /** The keys of the content sync's bucket under a prefix. */
    async syncKeys(prefix: string): Promise<string[]> {
      return (await SYNC_BUCKET.list({ prefix })).objects.map((object) => object.key);
    },
    /** Rows of an SQL query on the local D1. */
    async query(sql: string): Promise<Record<string, unknown>[]> {
      return (await DB.prepare(sql).all()).results;
    },
    /** Every table of the local D1 but SQLite's, D1's and wrangler's own. */
    async tables(): Promise<string[]> {
      const rows = await this.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
      );
      return rows.map((row) => String(row.name));
    },
    cleanup: async () => {
      await local.dispose();
      await rm(state, { recursive: true, force: true });
    },
  };
}
