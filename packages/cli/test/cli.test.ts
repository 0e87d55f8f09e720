import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;

beforeAll(async () => {
  state = await freshState();
});
afterAll(() => state.cleanup());

// Each run below starts Node, wrangler and workerd in a process of its own: slow on a busy machine.
describe('the wp-edge command', () => {
  it('acts on the local state directory it is given, in a process of its own', async () => {
    const added = await state.bin('sites', 'add', 'own', '--host', 'own.example');
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(await state.snapshot('own.example')).toMatchObject({ v: 1, id: 'own' });
    const listed = await state.bin('sites', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ id: 'own' }));
  }, 240_000);

  it('exits 1 with one line naming the problem', async () => {
    const missing = await state.bin('nodes', 'remove', 'nobody');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'wp-edge: there is no node nobody; list them with: npx wp-edge nodes list\n',
    });
  }, 240_000);
});

describe('wp-edge sites', () => {
  it('adds a site and publishes its snapshot under every host', async () => {
    const added = await state.cli(
      'sites',
      'add',
      'one',
      '--host',
      'one.example',
      '--host',
      'WWW.one.example',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain('added site one (one.example, www.one.example)');
    for (const host of ['one.example', 'www.one.example']) {
      expect(await state.snapshot(host)).toMatchObject({
        originSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
        id: 'one',
        hosts: ['one.example', 'www.one.example'],
        nodes: [],
      });
    }
  });

  it('refuses a host another site already serves', async () => {
    await state.cli('sites', 'add', 'two', '--host', 'two.example');
    const clash = await state.cli('sites', 'add', 'three', '--host', 'two.example');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe(
      'wp-edge: host already served by another site: two.example (site two)\n',
    );
  });

  it('refuses a host name with a scheme, saying what a host is', async () => {
    const bad = await state.cli('sites', 'add', 'bad', '--host', 'https://bad.example/');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('hosts.0: host must be a bare host name such as blog.example.com');
  });

  it('lists sites as a table and as JSON', async () => {
    await state.cli('sites', 'add', 'listed', '--host', 'listed.example', '--name', 'Listed blog');
    const text = await state.cli('sites', 'list');
    expect(text.stdout).toMatch(/^ID\s+NAME\s+HOSTS\s+NODES$/m);
    expect(text.stdout).toMatch(/^listed\s+Listed blog\s+listed\.example\s+0$/m);
    const json = await state.cli('sites', 'list', '--json');
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ id: 'listed', name: 'Listed blog' }),
    );
  });

  it('removes a site and withdraws its snapshot', async () => {
    await state.cli('sites', 'add', 'gone', '--host', 'gone.example');
    await state.cli('nodes', 'add', 'gone', 'gone-a', '--origin', 'http://127.0.0.2:8081');
    // Read first, so "gone" below cannot come from reading the wrong place.
    expect(await state.snapshot('gone.example')).toMatchObject({ id: 'gone' });
    expect(await state.query("SELECT id FROM nodes WHERE site_id = 'gone'")).toHaveLength(1);
    expect((await state.cli('sites', 'remove', 'gone')).code).toBe(0);
    expect(await state.snapshot('gone.example')).toBeUndefined();
    expect(await state.query("SELECT id FROM nodes WHERE site_id = 'gone'")).toEqual([]);
  });

  it('publishes a site again: a lost or outdated snapshot is written back from D1', async () => {
    await state.cli('sites', 'add', 'pub', '--host', 'pub.example');
    await state.putKv('host:pub.example', '{"id":"pub","v":1}');
    const published = await state.cli('sites', 'publish', 'pub');
    expect(published).toMatchObject({ code: 0, stdout: 'published pub\n' });
    expect(await state.snapshot('pub.example')).toMatchObject({
      v: 1,
      id: 'pub',
      hosts: ['pub.example'],
      originSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('publishes every site when no site is named', async () => {
    await state.cli('sites', 'add', 'pub-all', '--host', 'pub-all.example');
    await state.putKv('host:pub-all.example', '{}');
    const published = await state.cli('sites', 'publish');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^published .*\bpub-all\b/);
    expect(await state.snapshot('pub-all.example')).toMatchObject({ id: 'pub-all' });
  });

  it('refuses to publish a site that does not exist', async () => {
    const missing = await state.cli('sites', 'publish', 'nowhere');
    expect(missing).toMatchObject({ code: 1, stderr: 'wp-edge: there is no site nowhere\n' });
  });

  it('says so when removing a site that does not exist', async () => {
    const missing = await state.cli('sites', 'remove', 'nothing');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'wp-edge: there is no site nothing; list them with: npx wp-edge sites list\n',
    });
  });
});

describe('wp-edge nodes', () => {
  it('adds nodes to a site and republishes it', async () => {
    await state.cli('sites', 'add', 'farm', '--host', 'farm.example');
    await state.cli(
      'nodes',
      'add',
      'farm',
      'farm-home',
      '--origin',
      'http://127.0.0.2:8081/',
      '--role',
      'primary',
    );
    await state.cli(
      'nodes',
      'add',
      'farm',
      'farm-vps',
      '--origin',
      'https://vps.farm.example',
      '--weight',
      '50',
    );
    expect(await state.snapshot('farm.example')).toMatchObject({
      nodes: [
        { id: 'farm-home', originUrl: 'http://127.0.0.2:8081', role: 'primary', weight: 100 },
        { id: 'farm-vps', originUrl: 'https://vps.farm.example', role: 'secondary', weight: 50 },
      ],
    });
    const listed = await state.cli('nodes', 'list', 'farm');
    expect(listed.stdout).toMatch(
      /^farm\s+farm-vps\s+secondary\s+50\s+https:\/\/vps\.farm\.example$/m,
    );
  });

  it('lists nodes as JSON, each with its site', async () => {
    await state.cli('sites', 'add', 'json', '--host', 'json.example');
    await state.cli('nodes', 'add', 'json', 'json-a', '--origin', 'http://127.0.0.2:8081');
    const listed = await state.cli('nodes', 'list', 'json', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        site: 'json',
        id: 'json-a',
        originUrl: 'http://127.0.0.2:8081',
        role: 'secondary',
        weight: 100,
      },
    ]);
  });

  it('refuses a second primary for a site', async () => {
    await state.cli('sites', 'add', 'duo', '--host', 'duo.example');
    await state.cli(
      'nodes',
      'add',
      'duo',
      'duo-a',
      '--origin',
      'http://127.0.0.2:8081',
      '--role',
      'primary',
    );
    const second = await state.cli(
      'nodes',
      'add',
      'duo',
      'duo-b',
      '--origin',
      'http://127.0.0.3:8081',
      '--role',
      'primary',
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('site duo already has primary node duo-a');
  });

  it('refuses an origin that is not an http(s) URL', async () => {
    await state.cli('sites', 'add', 'ftp', '--host', 'ftp.example');
    const bad = await state.cli('nodes', 'add', 'ftp', 'ftp-a', '--origin', 'ftp://files.example');
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.stderr).toContain('originUrl: origin must be an http:// or https:// URL');
  });

  it('prints an agent config that the agent schema accepts, with a working key', async () => {
    await state.cli('sites', 'add', 'agent', '--host', 'agent.example');
    await state.cli('nodes', 'add', 'agent', 'agent-a', '--origin', 'http://127.0.0.2:8081');
    const printed = await state.cli(
      'nodes',
      'agent-config',
      'agent-a',
      '--db-name',
      'wp_a',
      '--table-prefix',
      'blog_',
    );
    const config = JSON.parse(printed.stdout);
    expect(config).toMatchObject({
      edgeUrl: 'http://127.0.0.1:8787',
      siteId: 'agent',
      nodeId: 'agent-a',
      database: { name: 'wp_a', tablePrefix: 'blog_' },
    });
    expect(config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await state.query(`SELECT node_id FROM node_keys WHERE id = '${config.keyId}'`)).toEqual(
      [{ node_id: 'agent-a' }],
    );
  });

  it('points an agent config at the local edge on the port npm run dev was given, and at the node’s WordPress', async () => {
    await state.cli('sites', 'add', 'port', '--host', 'port.example');
    await state.cli('nodes', 'add', 'port', 'port-a', '--origin', 'http://127.0.0.2:8081');
    const printed = await state.cliWithEnv(
      { PORT: '8899' },
      'nodes',
      'agent-config',
      'port-a',
      '--wordpress-url',
      'http://127.0.0.1:8081',
    );
    expect(JSON.parse(printed.stdout)).toMatchObject({
      edgeUrl: 'http://127.0.0.1:8899',
      wordpressUrl: 'http://127.0.0.1:8081',
    });
  });

  it('prints the WordPress plugin’s wp-config.php lines for a node: the site’s origin secret and the node’s role', async () => {
    await state.cli('sites', 'add', 'wpc', '--host', 'wpc.example');
    await state.cli(
      'nodes',
      'add',
      'wpc',
      'wpc-a',
      '--origin',
      'http://127.0.0.2:8081',
      '--role',
      'primary',
    );
    const printed = await state.cli('nodes', 'wp-config', 'wpc-a');
    const secret = (await state.snapshot('wpc.example'))?.originSecret;
    expect(printed.stdout.trim()).toBe(
      `define( 'WP_EDGE_ORIGIN_SECRET', '${secret}' );\ndefine( 'WP_EDGE_ROLE', 'primary' );`,
    );
  }, 240_000);

  it('rotates a secret, keeping the old key valid for the grace period only', async () => {
    await state.cli('sites', 'add', 'rot', '--host', 'rot.example');
    await state.cli('nodes', 'add', 'rot', 'rot-a', '--origin', 'http://127.0.0.2:8081');
    const before = JSON.parse((await state.cli('nodes', 'agent-config', 'rot-a')).stdout);
    const rotated = await state.cli('nodes', 'rotate-secret', 'rot-a', '--grace-hours', '2');
    expect(rotated.code).toBe(0);
    const after = JSON.parse((await state.cli('nodes', 'agent-config', 'rot-a')).stdout);
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.secret).not.toBe(before.secret);
    const [old] = await state.query(
      `SELECT expires_at FROM node_keys WHERE id = '${before.keyId}'`,
    );
    const hoursLeft = (Number(old?.expires_at) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(1.9);
    expect(hoursLeft).toBeLessThanOrEqual(2);
  });

  it('keeps the old key for 24 hours when no grace period is given', async () => {
    await state.cli('sites', 'add', 'rot24', '--host', 'rot24.example');
    await state.cli('nodes', 'add', 'rot24', 'rot24-a', '--origin', 'http://127.0.0.2:8081');
    const before = JSON.parse((await state.cli('nodes', 'agent-config', 'rot24-a')).stdout);
    const rotated = await state.cli('nodes', 'rotate-secret', 'rot24-a');
    expect(rotated.stdout).toContain('old keys stop working in 24 h');
    const [old] = await state.query(
      `SELECT expires_at FROM node_keys WHERE id = '${before.keyId}'`,
    );
    const hoursLeft = (Number(old?.expires_at) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);
  });

  it('removes a node and its keys', async () => {
    await state.cli('sites', 'add', 'shrink', '--host', 'shrink.example');
    await state.cli('nodes', 'add', 'shrink', 'shrink-a', '--origin', 'http://127.0.0.2:8081');
    expect(await state.query("SELECT id FROM node_keys WHERE node_id = 'shrink-a'")).toHaveLength(
      1,
    );
    expect((await state.cli('nodes', 'remove', 'shrink-a')).code).toBe(0);
    expect(await state.snapshot('shrink.example')).toMatchObject({ nodes: [] });
    expect(await state.query("SELECT id FROM node_keys WHERE node_id = 'shrink-a'")).toEqual([]);
  });
});

describe('wp-edge seed', () => {
  async function seedFile(content: unknown): Promise<string> {
    const file = path.join(state.dir, `seed-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  const seed = (hosts: string[], nodes: unknown[]) => ({
    sites: [
      { id: 'seeded', name: 'Seeded', hosts, nodes, settings: { cache: { ttlSeconds: 60 } } },
    ],
  });

  it('creates the sites and nodes of a seed file, and applying it again changes no key', async () => {
    const file = await seedFile(
      seed(
        ['seeded.example'],
        [
          { id: 'seeded-a', originUrl: 'http://127.0.0.2:8081', role: 'primary' },
          { id: 'seeded-b', originUrl: 'http://127.0.0.3:8081' },
        ],
      ),
    );
    expect((await state.cli('seed', file)).stdout).toBe('seeded seeded (2 nodes)\n');
    const keys = await state.query(
      "SELECT id FROM node_keys WHERE node_id LIKE 'seeded-%' ORDER BY id",
    );
    expect(keys).toHaveLength(2);
    expect((await state.cli('seed', file)).code).toBe(0);
    expect(
      await state.query("SELECT id FROM node_keys WHERE node_id LIKE 'seeded-%' ORDER BY id"),
    ).toEqual(keys);
    expect(await state.snapshot('seeded.example')).toMatchObject({
      settings: { cache: { ttlSeconds: 60 } },
    });
  });

  it('makes the site match the file: dropped hosts and nodes go, the primary can move', async () => {
    await state.cli(
      'seed',
      await seedFile(
        seed(
          ['old.seeded.example'],
          [
            { id: 'seeded-a', originUrl: 'http://127.0.0.2:8081', role: 'primary' },
            { id: 'seeded-b', originUrl: 'http://127.0.0.3:8081' },
          ],
        ),
      ),
    );
    const moved = await state.cli(
      'seed',
      await seedFile(
        seed(
          ['new.seeded.example'],
          [{ id: 'seeded-b', originUrl: 'http://127.0.0.3:8081', role: 'primary' }],
        ),
      ),
    );
    expect(moved.code).toBe(0);
    expect(await state.snapshot('old.seeded.example')).toBeUndefined();
    expect(await state.snapshot('new.seeded.example')).toMatchObject({
      nodes: [{ id: 'seeded-b', role: 'primary' }],
    });
  });

  it('refuses a seed file with an error naming the bad field', async () => {
    const bad = await state.cli(
      'seed',
      await seedFile({
        sites: [{ id: 'x', hosts: ['x.example'], nodes: [{ id: 'x-a', originUrl: 'nope' }] }],
      }),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'sites.0.nodes.0.originUrl: origin must be an http:// or https:// URL',
    );
  });

  it('refuses a seed file that is not JSON', async () => {
    const file = await seedFile('{ sites: ');
    const bad = await state.cli('seed', file);
    expect(bad.stderr).toMatch(new RegExp(`^wp-edge: ${file} is not valid JSON`));
  });
});
