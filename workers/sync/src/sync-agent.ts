import { WorkerEntrypoint } from 'cloudflare:workers';
import {
  type AgentCaller,
  type BlobHash,
  type CommitManifestResponse,
  type GenerationList,
  type Manifest,
  manifestBlobs,
  type PartUpload,
  type RetentionResult,
  SiteSettings,
  type StoredBlob,
  type SyncApi,
  type SyncRefusal,
  type SyncStatus,
  syncSitePrefix,
  type UploadedPart,
} from '@wp-edge/core';
import { sites } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { blobStore } from './blob-store.ts';
import { generationStore } from './generations.ts';
import { keptGenerations } from './retention.ts';

const BLOB_GRACE_MS = 3_600_000;

function refuse(status: SyncRefusal['refused']['status'], detail: string): SyncRefusal {
  return { refused: { status, detail } };
}

/**
 * The content sync's agent API over typed RPC: the router's signed `/agent/sync/*` routes call
 * it with the verified caller, and every key it touches is under the caller's site.
 */
export class SyncAgent extends WorkerEntrypoint<Env> implements SyncApi {
  private blobs(caller: AgentCaller) {
    return blobStore(this.env.SYNC_BUCKET, caller.siteId);
  }

  private generations(caller: AgentCaller) {
    return generationStore(this.env.SYNC_BUCKET, caller.siteId);
  }

  /** Which of these blobs the site's store lacks, so the agent sends only those. */
  async missingBlobs(caller: AgentCaller, input: { blobs: BlobHash[] }) {
    return { missing: await this.blobs(caller).missing(input.blobs) };
  }

  /** Stores one blob of at most one part, refused unless its bytes hash to its name. */
  async putBlob(
    caller: AgentCaller,
    input: { sha256: BlobHash; size: number; body: ReadableStream<Uint8Array> },
  ): Promise<StoredBlob | SyncRefusal> {
    return this.blobs(caller).put(input.sha256, input.size, input.body);
  }

  /** Starts the multipart upload of a large blob. */
  async startUpload(caller: AgentCaller, input: { sha256: BlobHash }) {
    return this.blobs(caller).startUpload(input.sha256);
  }

  async putPart(caller: AgentCaller, input: PartUpload): Promise<UploadedPart | SyncRefusal> {
    return this.blobs(caller).putPart(
      input.sha256,
      input.uploadId,
      input.partNumber,
      input.size,
      input.body,
    );
  }

  async completeUpload(
    caller: AgentCaller,
    input: { sha256: BlobHash; uploadId: string; parts: UploadedPart[] },
  ): Promise<StoredBlob | SyncRefusal> {
    return this.blobs(caller).completeUpload(input.sha256, input.uploadId, input.parts);
  }

  /**
   * Records a new generation (the primary only): every blob it names must be stored already,
   * and it must be newer than the newest, so a generation is never half there or out of order.
   */
  async commitManifest(
    caller: AgentCaller,
    manifest: Manifest,
  ): Promise<CommitManifestResponse | SyncRefusal> {
    if (manifest.siteId !== caller.siteId || manifest.nodeId !== caller.nodeId)
      return refuse(403, `a manifest names the site and node that publish it (${caller.nodeId})`);
    if (caller.role !== 'primary')
      return refuse(403, `only the primary of site ${caller.siteId} publishes generations`);
    const generations = this.generations(caller);
    const latest = await generations.latest();
    if (latest !== null && manifest.generation <= latest)
      return refuse(409, `generation ${manifest.generation} is not newer than ${latest}`);
    const blobs = [...manifestBlobs(manifest)];
    const missing: BlobHash[] = [];
    for (let i = 0; i < blobs.length; i += 500)
      missing.push(...(await this.blobs(caller).missing(blobs.slice(i, i + 500))));
    if (missing.length > 0)
      return refuse(
        409,
        `${missing.length} blobs of the manifest are not stored yet, e.g. ${missing[0]}`,
      );
    await generations.write(manifest);
    return { generation: manifest.generation };
  }

  /** The site's newest generation (null before the first publish), and the caller's role. */
  async latestGeneration(caller: AgentCaller): Promise<SyncStatus> {
    return { generation: await this.generations(caller).latest(), role: caller.role };
  }

  async getManifest(
    caller: AgentCaller,
    input: { generation: string },
  ): Promise<Manifest | SyncRefusal> {
    const manifest = await this.generations(caller).read(input.generation);
    return manifest ?? refuse(404, `site ${caller.siteId} has no generation ${input.generation}`);
  }

  /** A blob's bytes, streamed. */
  async getBlob(
    caller: AgentCaller,
    input: { sha256: BlobHash },
  ): Promise<{ size: number; body: ReadableStream } | SyncRefusal> {
    const blob = await this.blobs(caller).get(input.sha256);
    return blob ?? refuse(404, `site ${caller.siteId} has no blob ${input.sha256}`);
  }

  /** The site's kept generations, newest first. */
  async listGenerations(caller: AgentCaller): Promise<GenerationList> {
    const generations = this.generations(caller);
    return { generations: (await generations.manifests()).map(generations.summary) };
  }

  /**
   * Keeps the generations the site's `sync.keep*` settings say, and deletes the others and
   * every blob no kept generation references (blobs younger than an hour stay: a publish
   * may be uploading them for a generation not committed yet).
   */
  async applyRetention(caller: AgentCaller): Promise<RetentionResult> {
    const [site] = await drizzle(this.env.DB)
      .select({ settings: sites.settings })
      .from(sites)
      .where(eq(sites.id, caller.siteId));
    const { keepHourly, keepDaily, keepWeekly } = SiteSettings.parse(site?.settings ?? {}).sync;
    const generations = this.generations(caller);
    const manifests = await generations.manifests();
    const kept = keptGenerations(
      manifests,
      { hourly: keepHourly, daily: keepDaily, weekly: keepWeekly },
      Date.now(),
    );
    const dropped = manifests.filter((manifest) => !kept.has(manifest.generation));
    await generations.delete(dropped.map((manifest) => manifest.generation));
    const referenced = new Set<string>();
    for (const manifest of manifests)
      if (kept.has(manifest.generation))
        for (const blob of manifestBlobs(manifest)) referenced.add(blob);
    const unreferenced = await this.unreferencedBlobs(caller, referenced);
    await this.blobs(caller).delete(unreferenced);
    return {
      kept: [...kept],
      deletedGenerations: dropped.length,
      deletedBlobs: unreferenced.length,
    };
  }

  private async unreferencedBlobs(caller: AgentCaller, referenced: Set<string>) {
    const prefix = `${syncSitePrefix(caller.siteId)}blobs/`;
    const old = Date.now() - BLOB_GRACE_MS;
    const found: BlobHash[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.env.SYNC_BUCKET.list({ prefix, cursor });
      for (const object of page.objects) {
        const sha = object.key.slice(prefix.length);
        if (!referenced.has(sha) && object.uploaded.getTime() < old) found.push(sha);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return found;
  }
}
