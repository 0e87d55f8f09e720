import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from './config.ts';

const VALID = {
  edgeUrl: 'https://blog.example.com',
  siteId: 'blog',
  nodeId: 'blog-home',
  keyId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  secret: 'a'.repeat(64),
  database: { user: 'wordpress', name: 'wordpress' },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agent-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configFile(content: unknown): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('agent config', () => {
  it('reads the file the CLI prints, with defaults filled in', async () => {
    const config = await loadAgentConfig(await configFile(VALID), {});
    expect(config.database).toMatchObject({ host: '127.0.0.1', port: 3306, tablePrefix: 'wp_' });
  });

  it('serves metrics on 127.0.0.1:9469 unless WP_EDGE_METRICS_PORT or the file says otherwise', async () => {
    const file = await configFile(VALID);
    expect((await loadAgentConfig(file, {})).metrics).toEqual({ host: '127.0.0.1', port: 9469 });
    expect((await loadAgentConfig(file, { WP_EDGE_METRICS_PORT: '0' })).metrics.port).toBe(0);
  });

  it('lets WP_EDGE_* environment variables override the file', async () => {
    const config = await loadAgentConfig(await configFile(VALID), {
      WP_EDGE_SECRET: 'b'.repeat(64),
      WP_EDGE_DB_PORT: '3307',
      WP_EDGE_DB_PASSWORD: 'from-env',
    });
    expect(config.secret).toBe('b'.repeat(64));
    expect(config.database).toMatchObject({ port: 3307, password: 'from-env' });
  });

  it('names the bad setting and the file it came from', async () => {
    const file = await configFile({ ...VALID, edgeUrl: 'blog.example.com' });
    await expect(loadAgentConfig(file, {})).rejects.toThrow(
      `invalid agent config: edgeUrl (from ${file}): edgeUrl must be an http:// or https:// URL`,
    );
  });

  it('names the environment variable a bad value came from', async () => {
    const file = await configFile(VALID);
    await expect(loadAgentConfig(file, { WP_EDGE_TABLE_PREFIX: 'wp-' })).rejects.toThrow(
      'database.tablePrefix (from environment variable WP_EDGE_TABLE_PREFIX): tablePrefix may hold only letters, digits and _',
    );
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadAgentConfig('/nonexistent/agent.json', {})).rejects.toThrow(
      'cannot read config file /nonexistent/agent.json: ENOENT',
    );
    const broken = await configFile('{ "edgeUrl": ');
    await expect(loadAgentConfig(broken, {})).rejects.toThrow(
      `config file ${broken} is not valid JSON`,
    );
  });

  it('keeps a node’s own database outside wp-content, which the web server serves', async () => {
    const sync = { contentDir: '/var/lib/wordpress/wp-content' };
    const config = await loadAgentConfig(await configFile({ ...VALID, sync }), {});
    expect(config.sync?.keptDir).toBe('/var/lib/wp-edge-agent/kept');
    for (const keptDir of [
      '/var/lib/wordpress/wp-content/kept',
      '/var/lib/wordpress/wp-content',
      '/var/lib/wordpress/./wp-content/uploads/../kept',
    ]) {
      const file = await configFile({ ...VALID, sync: { ...sync, keptDir } });
      await expect(loadAgentConfig(file, {})).rejects.toThrow(
        `sync.keptDir (from ${file}): sync.keptDir must be outside sync.contentDir`,
      );
    }
    const relative = await configFile({ ...VALID, sync: { ...sync, keptDir: 'kept' } });
    await expect(loadAgentConfig(relative, {})).rejects.toThrow(
      'sync.keptDir must be an absolute path',
    );
    const beside = { ...sync, keptDir: '/var/lib/wordpress/wp-content-kept' };
    expect(
      (await loadAgentConfig(await configFile({ ...VALID, sync: beside }), {})).sync?.keptDir,
    ).toBe(beside.keptDir);
  });
});
