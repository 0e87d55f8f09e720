// The content sync on a site of 10,000 posts and 300 media files, with both agents running
// as they do on nodes (`wp-edge-agent run`, each its own process) and the sync Worker in
// workerd storing in Miniflare's local R2:
// - full sync: a fresh secondary importing the primary's first generation; its agent's peak
//   resident memory (VmHWM in /proc/<pid>/status, read once the import is logged) against
//   an agent with content sync off, and how long the import took;
// - publish to live: posts edited through wp_update_post() on the primary, one after another;
//   the time from the save returning to the new title in the secondary's database, p50/p95,
//   and to the primary's agent logging the generation committed (the rest is the import);
// - one-post edit: the bytes the primary's agent sent to the sync API for each edit (counted by
//   a proxy between it and the edge), as a share of the bytes of the dump the edit produced,
//   and what the secondary fetched for it (the import loads whole tables: about all of it).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Manifest } from '@wp-edge/core';
import { BenchFailure, recordFigures } from '@wp-edge/workerd-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { connectWordPress } from '../src/db/wordpress-db.ts';
import { type SyncClient, syncClient } from '../src/sync/sync-client.ts';
import { startAgent, writeAgentConfig } from '../test/support/agent-process.ts';
import { PRIMARY_KEY, startEdge } from '../test/support/edge.ts';
import { createTestWordPress, type TestWordPress } from '../test/support/wordpress.ts';
import { countingProxy } from './support/counting-proxy.ts';

const POSTS = 10_000;
const MEDIA = 300;
const EDITS = 12;
const FULL_SYNC_TIMEOUT_MS = 180_000;
const EDIT_TIMEOUT_MS = 90_000;
const SETTLE_TIMEOUT_MS = 60_000;
/** Two of the primary's passes (sync.pollSeconds defaults to 2). */
const QUIET_MS = 4_000;

type Agent = ReturnType<typeof startAgent>;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const median = (values: number[]) => percentile(values, 50);
const mib = (bytes: number) => bytes / 2 ** 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function php(script: string, wordpress: TestWordPress, env: Record<string, string>) {
  return new Promise<string>((resolve, reject) => {
    execFile(
      'php',
      [path.join(import.meta.dirname, 'support', script)],
      {
        env: {
          ...process.env,
          DB_NAME: wordpress.database.name,
          DB_USER: wordpress.database.user,
          DB_PASSWORD: wordpress.database.password,
          DB_HOST: wordpress.database.host,
          TABLE_PREFIX: wordpress.database.tablePrefix,
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(new BenchFailure(`${script} failed: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}

/** The agent's JSON log lines so far. */
function logLines(agent: Agent): { message: string; [field: string]: unknown }[] {
  return agent
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Fails the bench when the agent exited or its content sync failed: no figure is measured around failures. */
function checkAgent(agent: Agent, name: string) {
  if (agent.child.exitCode !== null)
    throw new BenchFailure(
      `the ${name}'s agent exited: ${agent.errors().slice(-1000)}; no figure is recorded`,
    );
  const failed = agent
    .errors()
    .split('\n')
    .find((line) => line.includes('content sync failed'));
  if (failed)
    throw new BenchFailure(`the ${name}'s content sync failed: ${failed}; no figure is recorded`);
}

async function waitForLog(agent: Agent, name: string, message: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    checkAgent(agent, name);
    const line = logLines(agent).find((logged) => logged.message === message);
    if (line) return line;
    if (Date.now() > deadline)
      throw new BenchFailure(
        `the ${name}'s agent logged no "${message}" within ${timeoutMs / 1000} s; no figure is recorded`,
      );
    await pause(100);
  }
}

/** The process's peak resident memory so far, in bytes (the kernel's high-water mark). */
async function peakRss(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new BenchFailure(`no VmHWM in /proc/${pid}/status; no memory figure is recorded`);
  return Number(kib) * 1024;
}

const dumpSize = (manifest: Manifest) =>
  manifest.tables.reduce(
    (sum, table) => sum + table.chunks.reduce((chunks, chunk) => chunks + chunk.size, 0),
    0,
  );

/**
 * Waits until the primary has published nothing new for a few of its passes and the secondary
 * serves the newest generation; returns that generation's dump size.
 */
async function settled(client: SyncClient, primary: Agent, secondary: Agent) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let newest = await client.latest();
  let since = Date.now();
  for (;;) {
    checkAgent(primary, 'primary');
    checkAgent(secondary, 'secondary');
    await pause(500);
    const now = await client.latest();
    if (now !== newest) {
      newest = now;
      since = Date.now();
    } else if (
      Date.now() - since >= QUIET_MS &&
      logLines(secondary).some(
        (line) => line.message === 'content generation imported' && line.generation === now,
      )
    )
      return { dumpBytes: dumpSize(await client.manifest(String(now))) };
    if (Date.now() > deadline)
      throw new BenchFailure(
        `the sync did not settle within ${SETTLE_TIMEOUT_MS / 1000} s; no figure is recorded`,
      );
  }
}

async function stop(agent: Agent | undefined) {
  if (!agent || agent.child.exitCode !== null) return;
  agent.child.kill('SIGTERM');
  await agent.exited;
}

const cleanup: (() => Promise<unknown>)[] = [];
try {
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-sync-bench-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const edge = await startEdge(['127.0.0.1']);
  cleanup.push(() => edge.dispose());
  const [primary, secondary] = await Promise.all([createTestWordPress(), createTestWordPress()]);
  cleanup.push(
    () => primary.drop(),
    () => secondary.drop(),
  );
  const primaryContent = await mkdtemp(path.join(dir, 'primary-wp-content-'));
  const secondaryContent = await mkdtemp(path.join(dir, 'secondary-wp-content-'));
  const postIds = JSON.parse(
    await php('wp-seed-site.php', primary, {
      POSTS: String(POSTS),
      MEDIA: String(MEDIA),
      WP_CONTENT_DIR: primaryContent,
    }),
  ) as number[];

  const primaryProxy = await countingProxy(edge.url);
  const secondaryProxy = await countingProxy(edge.url);
  cleanup.push(
    () => primaryProxy.close(),
    () => secondaryProxy.close(),
  );
  const primaryConfig = await writeAgentConfig(
    await mkdtemp(path.join(dir, 'a-')),
    primaryProxy.url,
    primary,
    {
      nodeId: 'agent-a',
      ...PRIMARY_KEY,
      sync: {
        contentDir: primaryContent,
        keptDir: path.join(dir, 'a-kept'),
        cacheDir: path.join(dir, 'a-chunks'),
      },
    },
  );
  const idleConfig = await writeAgentConfig(
    await mkdtemp(path.join(dir, 'idle-')),
    edge.url.href,
    secondary,
  );
  const secondaryConfig = await writeAgentConfig(
    await mkdtemp(path.join(dir, 'b-')),
    secondaryProxy.url,
    secondary,
    {
      sync: {
        contentDir: secondaryContent,
        keptDir: path.join(dir, 'b-kept'),
        cacheDir: path.join(dir, 'b-chunks'),
      },
    },
  );

  // Baseline: the same agent with content sync off, once it has run a few seconds.
  const idle = startAgent(idleConfig, 'run');
  cleanup.push(() => stop(idle));
  await waitForLog(idle, 'idle', 'agent started', 30_000);
  await pause(3_000);
  const idleRss = await peakRss(idle.child.pid);
  await stop(idle);

  const primaryAgent = startAgent(primaryConfig, 'run');
  cleanup.push(() => stop(primaryAgent));
  const published = await waitForLog(
    primaryAgent,
    'primary',
    'content generation published',
    FULL_SYNC_TIMEOUT_MS,
  );
  const fullUpload = primaryProxy.traffic.sent;
  const edgeSync = syncClient({ edgeUrl: edge.url.href, ...PRIMARY_KEY });
  const manifest = await edgeSync.manifest(String(published.generation));
  const dumpBytes = dumpSize(manifest);
  const filesBytes = manifest.files.reduce((sum, file) => sum + file.size, 0);

  const secondaryAgent = startAgent(secondaryConfig, 'run');
  cleanup.push(() => stop(secondaryAgent));
  const joinStarted = performance.now();
  const imported = await waitForLog(
    secondaryAgent,
    'secondary',
    'content generation imported',
    FULL_SYNC_TIMEOUT_MS,
  );
  const fullSyncSeconds = (performance.now() - joinStarted) / 1000;
  const fullSyncRss = await peakRss(secondaryAgent.child.pid);
  if (imported.generation !== published.generation)
    throw new BenchFailure(
      `the secondary imported ${imported.generation}, not ${published.generation}; no figure is recorded`,
    );

  const db = connectWordPress(secondary.database);
  cleanup.push(() => db.close());
  const [counted] = await db.pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM wp_posts WHERE post_type IN ('post', 'attachment')",
  );
  if (Number(counted[0]?.n) < POSTS + MEDIA)
    throw new BenchFailure(
      `the secondary holds ${counted[0]?.n} posts and media after the full sync, not ${POSTS + MEDIA}; no figure is recorded`,
    );

  const copiedFiles = (
    await readdir(path.join(secondaryContent, 'uploads'), { recursive: true, withFileTypes: true })
  ).filter((entry) => entry.isFile()).length;
  if (copiedFiles !== manifest.files.length)
    throw new BenchFailure(
      `the secondary holds ${copiedFiles} of the ${manifest.files.length} media files after the full sync; no figure is recorded`,
    );

  // The agents' own first writes (the primary's catalog table) are a generation of their own.
  await settled(edgeSync, primaryAgent, secondaryAgent);
  const latencies: number[] = [];
  const toPublished: number[] = [];
  const sentShares: number[] = [];
  const fetchedShares: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const postId = postIds[(i * 797) % postIds.length] ?? 0;
    const title = `Edited ${i} at ${Date.now()}`;
    const before = { ...primaryProxy.traffic };
    const fetchedBefore = secondaryProxy.traffic.received;
    const { savedAtMs } = JSON.parse(
      await php('wp-edit-post.php', primary, { POST_ID: String(postId), POST_TITLE: title }),
    ) as { savedAtMs: number };
    const deadline = Date.now() + EDIT_TIMEOUT_MS;
    for (;;) {
      const [rows] = await db.pool.query<RowDataPacket[]>(
        'SELECT post_title FROM wp_posts WHERE ID = ?',
        [postId],
      );
      if (rows[0]?.post_title === title) break;
      checkAgent(primaryAgent, 'primary');
      checkAgent(secondaryAgent, 'secondary');
      if (Date.now() > deadline)
        throw new BenchFailure(
          `edit ${i} (post ${postId}) was not on the secondary within ${EDIT_TIMEOUT_MS / 1000} s; no figure is recorded`,
        );
      await pause(100);
    }
    latencies.push((Date.now() - savedAtMs) / 1000);
    const publishedAt = logLines(primaryAgent).find(
      (line) =>
        line.message === 'content generation published' &&
        Date.parse(String(line.time)) >= savedAtMs,
    )?.time;
    if (!publishedAt)
      throw new BenchFailure(
        `edit ${i} reached the secondary with no generation logged by the primary; no figure is recorded`,
      );
    toPublished.push((Date.parse(String(publishedAt)) - savedAtMs) / 1000);
    // The primary's pass after a publish looks once more; what it sends belongs to this edit.
    const served = await settled(edgeSync, primaryAgent, secondaryAgent);
    sentShares.push((100 * (primaryProxy.traffic.sent - before.sent)) / served.dumpBytes);
    fetchedShares.push(
      (100 * (secondaryProxy.traffic.received - fetchedBefore)) / served.dumpBytes,
    );
  }
  checkAgent(primaryAgent, 'primary');
  checkAgent(secondaryAgent, 'secondary');

  await recordFigures({
    'sync.site.posts': { value: POSTS, unit: 'posts' },
    'sync.site.media': { value: manifest.files.length, unit: 'files' },
    'sync.full-dump.bytes': { value: Math.round(mib(dumpBytes) * 100) / 100, unit: 'MiB' },
    'sync.full-generation.uploaded': {
      value: Math.round(mib(fullUpload) * 100) / 100,
      unit: 'MiB',
    },
    'sync.files.bytes': { value: Math.round(mib(filesBytes) * 100) / 100, unit: 'MiB' },
    'sync.idle-agent.peak-rss': { value: Math.round(mib(idleRss)), unit: 'MiB' },
    'sync.full-sync.peak-rss': { value: Math.round(mib(fullSyncRss)), unit: 'MiB' },
    'sync.full-sync.duration': { value: Math.round(fullSyncSeconds * 10) / 10, unit: 's' },
    'sync.publish-to-live.published-p50': {
      value: Math.round(median(toPublished) * 10) / 10,
      unit: 's',
    },
    'sync.publish-to-live.samples': { value: latencies.length, unit: 'edits' },
    'sync.publish-to-live.p50': { value: Math.round(median(latencies) * 10) / 10, unit: 's' },
    'sync.publish-to-live.p95': {
      value: Math.round(percentile(latencies, 95) * 10) / 10,
      unit: 's',
    },
    'sync.one-post-edit.bytes-share': { value: median(sentShares), unit: '%' },
    'sync.one-post-edit.bytes-share-max': { value: Math.max(...sentShares), unit: '%' },
    'sync.one-post-edit.fetched-share': { value: median(fetchedShares), unit: '%' },
  });
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
}
