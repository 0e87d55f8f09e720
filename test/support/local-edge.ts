import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, get } from './http.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm run dev` (scripts/dev.ts) on a free port with a private state directory. */
export async function startLocalEdge(extraEnv: Record<string, string> = {}) {
  const state = await mkdtemp(path.join(tmpdir(), 'wp-edge-dev-'));
  const port = await freePort();
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const dev: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/dev.ts')], {
    env: {
      ...process.env,
      ...extraEnv,
      PORT: String(port),
      INSPECTOR_PORT: String(inspectorPort),
      WP_EDGE_STATE: state,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  dev.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const stop = async () => {
    if (dev.pid && dev.exitCode === null) process.kill(-dev.pid, 'SIGTERM');
    await rm(state, { recursive: true, force: true });
  };
  try {
    const exited = new Promise<never>((_, reject) =>
      dev.once('exit', (code) => reject(new Error(`npm run dev exited with code ${code}`))),
    );
    await Promise.race([
      eventually(
        async () =>
          (await get(`${url}/__wp-edge/health`, 'localhost')).status === 200 ? true : undefined,
        // wrangler dev starts five Workers; on a busy 2-core machine that can take minutes.
        240_000,
        'the local edge to answer its health check',
      ),
      exited,
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- npm run dev said:\n${output.slice(-3000)}`);
  }
  const cli = (...args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(root, 'packages/cli/bin/wp-edge.js'), '--state', state, ...args],
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`wp-edge ${args.join(' ')} failed: ${stderr}`))
            : resolve(stdout),
      ),
    );
  /**
   * Writes a node's origin-agent config into `dir` exactly as `wp-edge nodes agent-config`
   * prints it for this edge and the node's database, with the `sections` a node's owner adds
   * (content sync's `sync`); answers the file.
   */
  const agentConfigFile = async (
    dir: string,
    nodeId: string,
    database: { user: string; name: string },
    sections: Record<string, unknown> = {},
  ): Promise<string> => {
    const printed = await cli(
      'nodes',
      'agent-config',
      nodeId,
      '--edge-url',
      url,
      '--db-user',
      database.user,
      '--db-name',
      database.name,
    );
    const file = path.join(dir, `${nodeId}.json`);
    await writeFile(file, JSON.stringify({ ...JSON.parse(printed), ...sections }, null, 2));
    return file;
  };
  return { url, cli, agentConfigFile, stop };
}
