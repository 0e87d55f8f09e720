import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, writeAgentConfig } from './support/agent-process.ts';

const agentBin = path.resolve(import.meta.dirname, '../bin/wp-edge-agent.js');

/** The machine's own Node (what `#!/usr/bin/env node` finds outside npm), not the project's. */
function machineNode(): string {
  const dirs = (process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules'));
  const found = dirs.map((dir) => path.join(dir, 'node')).find((file) => existsSync(file));
  if (!found) throw new Error(`no Node outside node_modules on PATH (${process.env.PATH})`);
  return found;
}

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agent-machine-node-'));
  const closedPort = await freePort();
  config = await writeAgentConfig(dir, `http://127.0.0.1:${closedPort}`, {
    database: {
      host: '127.0.0.1',
      port: closedPort,
      user: 'wp',
      password: 'wp',
      name: 'wp_a',
      tablePrefix: 'wp_',
    },
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("wp-edge-agent run by the machine's own Node", () => {
  it('checks the config as the README says, whatever Node the machine has', () => {
    const checked = spawnSync(machineNode(), [agentBin, '--config', config, 'check-config'], {
      encoding: 'utf8',
    });
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toMatch(/^config ok: node agent-b of site agent/);
    expect(checked.status).toBe(0);
  });

  it('passes SIGTERM on to the agent, which stops and exits 0', async () => {
    const agent = spawn(machineNode(), [agentBin, '--config', config, 'run'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [agent.stdout, agent.stderr])
      stream.on('data', (chunk: Buffer) => {
        output += chunk;
      });
    const exited = new Promise<number | null>((resolve) => agent.on('exit', resolve));
    // A task's first failed pass (nothing answers at the edge or the database): the loop that
    // handles SIGTERM is running by then.
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/failed; trying again in/);
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
