import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliError } from './errors.ts';

/** Where the CLI acts: the local dev state (as `npm run dev` uses it) or the deployed resources. */
export interface Target {
  remote: boolean;
  /** The wrangler config that names the D1 database and KV namespace. */
  configPath: string;
  /** The local state directory (`--persist-to`), unused when remote. */
  statePath: string;
}

export interface D1Result {
  results: Record<string, unknown>[];
}

const DATABASE = 'wp-edge';
const SITE_CONFIG_BINDING = 'SITE_CONFIG';
const wranglerBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin/wrangler.js',
);

function run(args: string[], target: Target): Promise<string> {
  const where = target.remote ? ['--remote'] : ['--local', '--persist-to', target.statePath];
  const child = spawn(
    process.execPath,
    [wranglerBin, ...args, ...where, '--config', target.configPath],
    {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new CliError(`wrangler ${args[0]} ${args[1]} failed: ${lastError(stderr || stdout)}`),
        );
    });
  });
}

function lastError(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^[\s✘X▲[\]ERROR]+/, '').trim());
  return lines.filter(Boolean).slice(-3).join(' ');
}

/** Runs SQL statements on the D1 database in one call and returns each statement's rows. */
export async function executeSql(statements: string[], target: Target): Promise<D1Result[]> {
  const output = await run(
    ['d1', 'execute', DATABASE, '--json', '--command', statements.join(';\n')],
    target,
  );
  return JSON.parse(output) as D1Result[];
}

/** Applies the D1 migrations that have not run yet. */
export async function applyMigrations(target: Target): Promise<string> {
  return run(['d1', 'migrations', 'apply', DATABASE], target);
}

async function withTempJson<T>(value: unknown, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-'));
  const file = path.join(dir, 'kv.json');
  try {
    await writeFile(file, JSON.stringify(value));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes KV entries of the site-config namespace in one call. */
export async function putKv(entries: { key: string; value: string }[], target: Target) {
  if (entries.length === 0) return;
  await withTempJson(entries, (file) =>
    run(['kv', 'bulk', 'put', file, '--binding', SITE_CONFIG_BINDING], target),
  );
}

/** Deletes KV entries of the site-config namespace in one call. */
export async function deleteKv(keys: string[], target: Target) {
  if (keys.length === 0) return;
  await withTempJson(keys, (file) =>
    run(['kv', 'bulk', 'delete', file, '--binding', SITE_CONFIG_BINDING, '--force'], target),
  );
}

/** A KV entry of the site-config namespace as text, or undefined when there is none. */
export async function getKv(key: string, target: Target): Promise<string | undefined> {
  const output = await run(
    ['kv', 'key', 'get', key, '--binding', SITE_CONFIG_BINDING, '--text'],
    target,
  );
  // wrangler says so on stdout and exits 0 for a missing key; our values are JSON.
  return output.trim() === 'Value not found' ? undefined : output;
}

const IMAGES_BUCKET = 'wp-edge-images';

/** Uploads a file into the image bucket. */
export async function putImageObject(
  key: string,
  file: string,
  contentType: string,
  target: Target,
): Promise<void> {
  await run(
    [
      'r2',
      'object',
      'put',
      `${IMAGES_BUCKET}/${key}`,
      '--file',
      file,
      '--content-type',
      contentType,
    ],
    target,
  );
}

/** Deletes an object of the image bucket. */
export async function deleteImageObject(key: string, target: Target): Promise<void> {
  await run(['r2', 'object', 'delete', `${IMAGES_BUCKET}/${key}`], target);
}
