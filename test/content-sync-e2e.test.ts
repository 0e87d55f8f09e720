import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get } from './support/http.ts';
import { freePort, startLocalEdge } from './support/local-edge.ts';
import { startWordPressNode, type WordPressNode } from './support/wordpress-node.ts';

// Two real WordPress nodes, each with its own wp-content, the local edge in front and an agent
// beside each with content sync on: what the owner publishes on the primary reaches the
// secondary through R2, and an edit is served fresh from the edge cache.
const root = path.resolve(import.meta.dirname, '..');
const SITE_HOST = 'blog.sync.test';
const THEME = '/usr/share/wordpress/wp-content/themes/twentytwentythree';

let edge: Awaited<ReturnType<typeof startLocalEdge>>;
let primary: WordPressNode;
let secondary: WordPressNode;
let dir: string;
const contentDirs: Record<string, string> = {};
const agents: ChildProcess[] = [];

/** A node's own wp-content: the stock theme linked in (links are never synced), nothing else. */
async function contentDir(name: string): Promise<string> {
  const content = path.join(dir, name);
  await mkdir(path.join(content, 'themes'), { recursive: true });
  await mkdir(path.join(content, 'uploads'));
  await symlink(THEME, path.join(content, 'themes/twentytwentythree'));
  contentDirs[name] = content;
  return content;
}

async function startAgent(nodeId: string, node: WordPressNode, content: string): Promise<void> {
  const file = await edge.agentConfigFile(dir, nodeId, node.database, {
    sync: {
      contentDir: content,
      keptDir: path.join(dir, `${nodeId}-kept`),
      cacheDir: path.join(dir, `${nodeId}-chunks`),
      keepOptions: [],
      pollSeconds: 1,
    },
  });
  agents.push(
    spawn(
      process.execPath,
      [path.join(root, 'origin-agent/bin/wp-edge-agent.js'), '--config', file, 'run'],
      { stdio: 'ignore', env: { ...process.env, WP_EDGE_METRICS_PORT: '0' } },
    ),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-sync-e2e-'));
  edge = await startLocalEdge();
  const node = async (address: string, title: string, content: string) =>
    startWordPressNode({
      address,
      title,
      port: await freePort(),
      // The site's own address, on the default port as in production: the edge caches pages
      // under it, and purges them under it.
      siteUrl: `http://${SITE_HOST}`,
      contentDir: content,
    });
  [primary, secondary] = await Promise.all([
    node('127.0.0.41', 'Node A', await contentDir('content-a')),
    node('127.0.0.42', 'Node B', await contentDir('content-b')),
  ]);
  await primary.php(
    "update_option('permalink_structure', '/%postname%/'); flush_rewrite_rules(false);",
  );
  await edge.cli('sites', 'add', 'sync', '--host', SITE_HOST);
  await edge.cli(
    'nodes',
    'add',
    'sync',
    'sync-a',
    '--origin',
    primary.originUrl,
    '--role',
    'primary',
  );
  await edge.cli('nodes', 'add', 'sync', 'sync-b', '--origin', secondary.originUrl);
  await startAgent('sync-a', primary, contentDirs['content-a'] ?? '');
  await startAgent('sync-b', secondary, contentDirs['content-b'] ?? '');
});

afterAll(async () => {
  for (const agent of agents) agent.kill('SIGTERM');
  await Promise.all([primary?.stop(), secondary?.stop()]);
  await edge?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page as the node itself serves it, for the site's host (as the edge asks it). */
const fromNode = (node: WordPressNode, page: string) =>
  get(`${node.originUrl}${page}`, new URL(node.originUrl).hostname, {
    'x-forwarded-host': SITE_HOST,
  });

/** A page as a reader gets it through the router. */
const fromEdge = (page: string) => get(`${edge.url}${page}`, SITE_HOST);

/**
 * Whether the edge has heard from every node that it serves the primary's newest generation:
 * every purge held until then has been done.
 */
async function everyNodeHasNewest(): Promise<true | undefined> {
  const [rows] = await primary.db.query(
    "SELECT value FROM wp_wp_edge_sync WHERE name = 'published_generation'",
  );
  const newest = (rows as { value: string }[])[0]?.value;
  const status = JSON.parse(await edge.cli('status', 'sync', '--json', '--edge-url', edge.url)) as {
    nodes: { content: { generation: string | null } }[];
  };
  return newest && status.nodes.every((node) => node.content.generation === newest)
    ? true
    : undefined;
}

/** Publishes a post with an uploaded image through WordPress's own functions on the primary. */
async function publishWithImage(title: string) {
  const printed = await primary.php(`
    require_once ABSPATH . 'wp-admin/includes/image.php';
    $png = base64_decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==');
    $upload = wp_upload_bits('photo.png', null, $png);
    $post = wp_insert_post(['post_title' => '${title}', 'post_content' => '<img src="' . $upload['url'] . '">', 'post_status' => 'publish'], true);
    wp_insert_attachment(['post_mime_type' => 'image/png', 'post_title' => 'photo', 'post_status' => 'inherit'], $upload['file'], $post);
    echo json_encode(['postId' => $post, 'page' => wp_make_link_relative(get_permalink($post)), 'image' => wp_make_link_relative($upload['url']), 'file' => substr($upload['file'], strlen(WP_CONTENT_DIR) + 1)]);`);
  return JSON.parse(printed.slice(printed.indexOf('{'))) as {
    postId: number;
    page: string;
    image: string;
    file: string;
  };
}

describe('content sync between two real WordPress nodes behind the edge', () => {
  it('brings a post and its image published on the primary to the secondary, served by its own server and through the router; an edit is then served fresh from the edge cache', async () => {
    const title = `Synced post ${Date.now()}`;
    const post = await publishWithImage(title);
    expect(post.page).toMatch(/^\/synced-post-\d+\/$/);

    const onSecondary = await eventually(
      async () => {
        const page = await fromNode(secondary, post.page);
        // One PHP request can straddle the first import's swap (the old options read first,
        // the new posts after), and show the home page listing the post: wait for the post's own.
        return page.status === 200 && page.body.includes(title) && page.body.includes(post.image)
          ? page
          : undefined;
      },
      30_000,
      'the post to be served by the secondary',
    );
    expect(onSecondary.body).toContain(post.image);
    const image = await fromNode(secondary, post.image);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(await readFile(path.join(contentDirs['content-b'] ?? '', post.file))).toEqual(
      await readFile(path.join(contentDirs['content-a'] ?? '', post.file)),
    );
    expect((await fromEdge(post.image)).status).toBe(200);

    // Cached at the edge, as readers get it, once the purges the post's own publish brought are done.
    await eventually(everyNodeHasNewest, 30_000, 'every node to report the newest generation');
    await eventually(
      async () => {
        const page = await fromEdge(post.page);
        return page.body.includes(title) && page.headers['x-wp-edge-cache'] === 'HIT'
          ? true
          : undefined;
      },
      20_000,
      'the post to be cached at the edge',
    );

    const edited = `Edited on the primary ${Date.now()}`;
    await primary.php(`wp_update_post(['ID' => ${post.postId}, 'post_content' => '${edited}']);`);
    const fresh = await eventually(
      async () => {
        const page = await fromEdge(post.page);
        return page.body.includes(edited) ? page : undefined;
      },
      40_000,
      'the edge to serve the edited post',
    );
    // Well before the cache's 300 s lifetime: the copy was purged once every node had the edit.
    expect(fresh.headers['x-wp-edge-cache']).toBe('MISS');
    expect((await fromNode(secondary, post.page)).body).toContain(edited);
  });
});
