import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CliError } from './errors.ts';

/** Where the CLI acts: the local dev state (as `npm run dev` uses it) or the deployed resources. */
export interface Target {
  remote: boolean;
  /** The wrangler config that names the D1 database, KV namespace and R2 bucket. */
  configPath: string;
  /** The local state directory (`--persist-to`), unused when remote. */
  statePath: string;
}

const DATABASE = 'wp-edge';
const wranglerBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin/wrangler.js',
);

function lastError(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^[\s✘X▲[\]ERROR]+/, '').trim());
  return lines.filter(Boolean).slice(-3).join(' ');
}

/** Applies the deployed D1's pending migrations with wrangler (untested here: no Cloudflare account). */
export function applyRemoteMigrations(target: Target): Promise<string> {
  const child = spawn(
    process.execPath,
    [wranglerBin, 'd1', 'migrations', 'apply', DATABASE, '--remote', '--config', target.configPath],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new CliError(`wrangler d1 migrations apply failed: ${lastError(output)}`));
    });
  });
}
