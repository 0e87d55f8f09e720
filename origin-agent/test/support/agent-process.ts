import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { SECONDARY_KEY } from './edge.ts';
import type { TestWordPress } from './wordpress.ts';

const agentBin = path.resolve(import.meta.dirname, '../../bin/wp-edge-agent.js');

/**
 * Writes the secondary node's agent config for an edge and a test WordPress, with metrics off
 * unless `extra` says otherwise; returns its path.
 */
export async function writeAgentConfig(
  dir: string,
  edgeUrl: string,
  wordpress: Pick<TestWordPress, 'database'>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const file = path.join(dir, 'agent.json');
  const config = {
    edgeUrl,
    siteId: 'agent',
    nodeId: 'agent-b',
    ...SECONDARY_KEY,
    database: wordpress.database,
    metrics: { port: 0 },
    ...extra,
  };
  await writeFile(file, JSON.stringify(config));
  return file;
}

/** Starts `wp-edge-agent <command>` as its own process, keeping what it prints; `exited` resolves with its exit code. */
export function startAgent(
  configFile: string,
  command: string,
): {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [agentBin, '--config', configFile, command], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, errors: () => errors, exited };
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
