import { env, exports } from 'cloudflare:workers';
import { type AgentCaller, isSyncRefusal, type Manifest, SYNC_PART_BYTES } from '@wp-edge/core';
import { addNode, bindingStore, createSite } from '@wp-edge/core/provision';
import { describe, expect, it } from 'vitest';

const sync = exports.SyncAgent;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes]).stream();
}

/** A site with a primary and a secondary, provisioned as `wp-edge sites add` and `nodes add` do. */
async function site(id: string): Promise<{ primary: AgentCaller; secondary: AgentCaller }> {
  const store = bindingStore(env.DB, env.SITE_CONFIG);
  await createSite(store, { id, hosts: [`${id}.example`] });
  await addNode(store, id, { id: `${id}-a`, originUrl: 'http://127.0.0.2', role: 'primary' });
  await addNode(store, id, { id: `${id}-b`, originUrl: 'http://127.0.0.3', role: 'secondary' });
  return {
    primary: { siteId: id, nodeId: `${id}-a`, role: 'primary' },
    secondary: { siteId: id, nodeId: `${id}-b`, role: 'secondary' },
  };
}

async function storedBlob(caller: AgentCaller, text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const sha = await sha256(bytes);
  const stored = await sync.putBlob(caller, {
    sha256: sha,
    size: bytes.length,
    body: streamOf(bytes),
  });
  expect(stored).toEqual({ sha256: sha, size: bytes.length });
  return sha;
}

function manifest(caller: AgentCaller, generation: string, blob: string): Manifest {
  return {
    generation,
    siteId: caller.siteId,
    nodeId: caller.nodeId,
    createdAt: new Date().toISOString(),
    commentCursor: 0,
    tables: [
      {
        name: 'posts',
        create: 'CREATE TABLE {{table}} (ID int)',
        rows: 1,
        chunks: [{ sha256: blob, size: 5, rows: 1 }],
      },
    ],
    files: [],
  };
}

/** Starts a multipart upload of `bytes` under `sha` and puts every part of it. */
async function uploadParts(caller: AgentCaller, sha: string, bytes: Uint8Array) {
  const { uploadId } = await sync.startUpload(caller, { sha256: sha });
  const parts = [];
  for (let start = 0, n = 1; start < bytes.length; start += SYNC_PART_BYTES, n++) {
    const part = bytes.subarray(start, start + SYNC_PART_BYTES);
    const answer = await sync.putPart(caller, {
      sha256: sha,
      uploadId,
      partNumber: n,
      size: part.length,
      body: streamOf(part),
    });
    if (isSyncRefusal(answer)) throw new Error(answer.refused.detail);
    parts.push(answer);
  }
  return { uploadId, parts };
}

describe('the sync store', () => {
  it('stores a blob under its SHA-256 and answers it streamed', async () => {
    const { primary, secondary } = await site('blob');
    const sha = await storedBlob(primary, 'hello');
    expect(await sync.missingBlobs(secondary, { blobs: [sha, 'f'.repeat(64)] })).toEqual({
      missing: ['f'.repeat(64)],
    });
    const blob = await sync.getBlob(secondary, { sha256: sha });
    if (isSyncRefusal(blob)) throw new Error(blob.refused.detail);
    expect(await new Response(blob.body).text()).toBe('hello');
  });

  it('refuses bytes that do not hash to the blob’s name and stores nothing', async () => {
    const { primary } = await site('corrupt');
    const bytes = new TextEncoder().encode('tampered');
    const answer = await sync.putBlob(primary, {
      sha256: 'a'.repeat(64),
      size: bytes.length,
      body: streamOf(bytes),
    });
    expect(answer).toMatchObject({ refused: { status: 422 } });
    expect(await sync.missingBlobs(primary, { blobs: ['a'.repeat(64)] })).toEqual({
      missing: ['a'.repeat(64)],
    });
  });

  it('keeps each site’s blobs to itself', async () => {
    const { primary } = await site('mine');
    const other = await site('theirs');
    const sha = await storedBlob(primary, 'private');
    expect(await sync.missingBlobs(other.secondary, { blobs: [sha] })).toEqual({ missing: [sha] });
    expect(await sync.getBlob(other.secondary, { sha256: sha })).toMatchObject({
      refused: { status: 404 },
    });
  });

  it('takes a blob larger than one part in parts and checks the whole', async () => {
    const { primary } = await site('multipart');
    const bytes = new Uint8Array(SYNC_PART_BYTES + 1000).map((_, i) => i % 251);
    const sha = await sha256(bytes);
    const { uploadId, parts } = await uploadParts(primary, sha, bytes);
    expect(await sync.completeUpload(primary, { sha256: sha, uploadId, parts })).toEqual({
      sha256: sha,
      size: bytes.length,
    });
  });

  it('deletes a multipart blob whose parts do not hash to its name', async () => {
    const { primary } = await site('multipart-bad');
    const bytes = new Uint8Array(SYNC_PART_BYTES + 10);
    const sha = 'b'.repeat(64);
    const { uploadId, parts } = await uploadParts(primary, sha, bytes);
    expect(await sync.completeUpload(primary, { sha256: sha, uploadId, parts })).toMatchObject({
      refused: { status: 422 },
    });
    expect(await sync.missingBlobs(primary, { blobs: [sha] })).toEqual({ missing: [sha] });
  });
});

describe('generations', () => {
  it('commits the primary’s manifest and serves it as the newest', async () => {
    const { primary, secondary } = await site('gen');
    const blob = await storedBlob(primary, 'rows!');
    const first = manifest(primary, '20261201T100000000Z-gen-a', blob);
    expect(await sync.commitManifest(primary, first)).toEqual({ generation: first.generation });
    expect(await sync.latestGeneration(secondary)).toEqual({
      generation: first.generation,
      role: 'secondary',
    });
    expect(await sync.getManifest(secondary, { generation: first.generation })).toEqual(first);
    expect((await sync.listGenerations(secondary)).generations).toMatchObject([
      { generation: first.generation, tables: 1, files: 0, bytes: 5 },
    ]);
  });

  it.each([
    {
      who: 'a secondary',
      status: 403,
      change: (m: Manifest, s: { secondary: AgentCaller }) => ({
        caller: s.secondary,
        manifest: { ...m, nodeId: s.secondary.nodeId },
      }),
    },
    {
      who: 'a manifest naming a blob not stored',
      status: 409,
      change: (m: Manifest, s: { primary: AgentCaller }) => ({
        caller: s.primary,
        manifest: {
          ...m,
          files: [{ path: 'uploads/a.jpg', size: 1, mode: 0o644, sha256: 'c'.repeat(64) }],
        },
      }),
    },
  ])('refuses $who', async ({ status, change }) => {
    const callers = await site(`refuse-${status}`);
    const blob = await storedBlob(callers.primary, 'rows!');
    const { caller, manifest: refused } = change(
      manifest(callers.primary, '20261201T100000000Z-x', blob),
      callers,
    );
    expect(await sync.commitManifest(caller, refused)).toMatchObject({ refused: { status } });
    expect((await sync.latestGeneration(caller)).generation).toBeNull();
  });

  it('refuses a generation not newer than the newest', async () => {
    const { primary } = await site('order');
    const blob = await storedBlob(primary, 'rows!');
    await sync.commitManifest(primary, manifest(primary, '20261201T100000000Z-order-a', blob));
    expect(
      await sync.commitManifest(primary, manifest(primary, '20261201T090000000Z-order-a', blob)),
    ).toMatchObject({ refused: { status: 409 } });
  });

  it('retention deletes generations past the policy and the blobs only they referenced', async () => {
    const { primary } = await site('retention');
    const kept = await storedBlob(primary, 'kept');
    const old = manifest(primary, '20250101T000000000Z-retention-a', kept);
    await env.SYNC_BUCKET.put(
      'sites/retention/generations/20250101T000000000Z-retention-a.json',
      JSON.stringify({ ...old, createdAt: '2025-01-01T00:00:00.000Z', v: 1 }),
    );
    await sync.commitManifest(primary, manifest(primary, '20261201T100000000Z-retention-a', kept));
    const result = await sync.applyRetention(primary);
    expect(result).toMatchObject({
      kept: ['20261201T100000000Z-retention-a'],
      deletedGenerations: 1,
    });
    expect(await sync.missingBlobs(primary, { blobs: [kept] })).toEqual({ missing: [] });
  });
});
