import { z } from 'zod';
import { readStored, storedDocument } from '../config/stored-format.ts';
import type { AgentCaller } from './agent-api.ts';

/**
 * The content sync's agent API and stored format: the primary's agent publishes generations
 * (a consistent database dump and the `wp-content` files, content-addressed) and every other
 * agent pulls them. Shared by workers/sync and origin-agent; the R2 layout is in
 * workers/sync/storage-schema.md.
 */

/** A blob's name: the SHA-256 of its bytes, lowercase hex. */
export const BlobHash = z.string().regex(/^[0-9a-f]{64}$/, {
  error: 'a blob is named by the SHA-256 of its bytes: 64 lowercase hex digits',
});
export type BlobHash = z.infer<typeof BlobHash>;

/** The most bytes one request body carries; larger blobs go up in parts (multipart). */
export const SYNC_PART_BYTES = 8 * 1024 * 1024;

/** At most this many blobs asked about in one `missing` call. */
export const MAX_MISSING_QUERY = 1000;

/** One chunk of a table's rows as SQL `INSERT` statements, one a line. */
export const TableChunk = z.object({
  sha256: BlobHash,
  size: z.number().int().min(0),
  rows: z.number().int().min(0),
});
export type TableChunk = z.infer<typeof TableChunk>;

/** A table of the dump: its `CREATE TABLE` (without the prefix) and its rows in chunks. */
export const ManifestTable = z.object({
  /** The table's name without the install's prefix (`posts`, `wp_edge_state`). */
  name: z.string().regex(/^[A-Za-z0-9_]{1,48}$/),
  /** `CREATE TABLE` of it, with `{{table}}` in place of its name. */
  create: z.string().min(1),
  rows: z.number().int().min(0),
  chunks: z.array(TableChunk),
});
export type ManifestTable = z.infer<typeof ManifestTable>;

/** A path under `wp-content`, relative, `/`-separated, never climbing out. */
export const ContentPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (path) =>
      !path.startsWith('/') &&
      !path.includes('\\') &&
      !path.includes('\0') &&
      path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    { error: 'a file path must be relative to wp-content, with no empty, . or .. part' },
  );

/** A file of `wp-content`. */
export const ManifestFile = z.object({
  path: ContentPath,
  size: z.number().int().min(0),
  /** Permission bits (`0o644` as 420). */
  mode: z.number().int().min(0).max(0o7777),
  sha256: BlobHash,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** A generation id: sortable by time (`20261201T233551123Z-<node>`). */
export const GenerationId = z.string().regex(/^\d{8}T\d{9}Z-[a-z0-9][a-z0-9-]{0,62}$/, {
  error: 'a generation id looks like 20261201T233551123Z-<node id>',
});
export type GenerationId = z.infer<typeof GenerationId>;

/** A node's own state kept before an import replaced it: its folder under `wp-content/.wp-edge-kept/`, named for when. */
export const KeptSnapshotId = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{9}Z$/, {
  error: 'a kept snapshot is named for when it was kept: 2026-12-01T233551123Z',
});

/** The name of a snapshot of a node's own state kept at `at`. */
export function keptSnapshotId(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '');
}

/** When a generation was dumped, from its id (`20261201T233551123Z-<node>`); NaN for another string. */
export function generationTimeMs(generation: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(generation);
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`) : Number.NaN;
}

/** One generation of a site's content: what a node must hold to serve exactly it. */
export const Manifest = z.object({
  generation: GenerationId,
  siteId: z.string().min(1),
  /** The node that published it. */
  nodeId: z.string().min(1),
  createdAt: z.iso.datetime(),
  /** The comment log position the dump's `wp_edge_state` holds (for lag, never for applying). */
  commentCursor: z.number().int().min(0),
  tables: z.array(ManifestTable),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;

/** Every R2 key of a site's content sync starts here (workers/sync/storage-schema.md). */
export function syncSitePrefix(siteId: string): string {
  return `sites/${siteId}/`;
}

/** Where a blob of a site lives: named by the SHA-256 of its bytes. */
export function syncBlobKey(siteId: string, sha256: BlobHash): string {
  return `${syncSitePrefix(siteId)}blobs/${sha256}`;
}

/** The prefix of a site's generation manifests; ids sort by time, so listing is oldest first. */
export function syncGenerationsPrefix(siteId: string): string {
  return `${syncSitePrefix(siteId)}generations/`;
}

/** Where a generation's manifest lives. */
export function syncGenerationKey(siteId: string, generation: GenerationId): string {
  return `${syncGenerationsPrefix(siteId)}${generation}.json`;
}

/** The format version of stored manifests (`v`). */
export const SYNC_MANIFEST_FORMAT = 1;

/** A manifest as it is stored in R2: with its format version. */
export function syncManifestDocument(manifest: Manifest): string {
  return JSON.stringify(storedDocument(SYNC_MANIFEST_FORMAT, manifest));
}

/** A stored manifest, refused with what to do if its version or fields are wrong. */
export function readSyncManifest(what: string, stored: unknown): Manifest {
  return readStored(Manifest, SYNC_MANIFEST_FORMAT, stored, {
    what,
    fix: 'publish a new generation from the primary with: wp-edge-agent publish',
  });
}

/** Every blob a manifest references, once each. */
export function manifestBlobs(manifest: Manifest): Set<BlobHash> {
  const blobs = new Set<BlobHash>();
  for (const table of manifest.tables) for (const chunk of table.chunks) blobs.add(chunk.sha256);
  for (const file of manifest.files) blobs.add(file.sha256);
  return blobs;
}

/** `POST /agent/sync/missing`: which of these blobs the site's store does not have yet. */
export const MissingBlobsRequest = z.object({
  blobs: z.array(BlobHash).max(MAX_MISSING_QUERY),
});
export type MissingBlobsRequest = z.infer<typeof MissingBlobsRequest>;
export const MissingBlobsResponse = z.object({ missing: z.array(BlobHash) });
export type MissingBlobsResponse = z.infer<typeof MissingBlobsResponse>;

/** `POST /agent/sync/uploads`: starts a multipart upload of a blob larger than one part. */
export const StartUploadRequest = z.object({
  sha256: BlobHash,
  size: z.number().int().min(1),
});
export type StartUploadRequest = z.infer<typeof StartUploadRequest>;
export const StartUploadResponse = z.object({ uploadId: z.string().min(1) });
export type StartUploadResponse = z.infer<typeof StartUploadResponse>;

/** An uploaded part, as `PUT /agent/sync/uploads/<sha>/<uploadId>/<n>` answers it. */
export const UploadedPart = z.object({
  partNumber: z.number().int().min(1).max(10_000),
  etag: z.string().min(1),
});
export type UploadedPart = z.infer<typeof UploadedPart>;

/** `POST /agent/sync/uploads/<sha>/<uploadId>/complete`: the parts, in order. */
export const CompleteUploadRequest = z.object({ parts: z.array(UploadedPart).min(1) });
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequest>;

/** What storing a blob answers. */
export const StoredBlob = z.object({ sha256: BlobHash, size: z.number().int().min(0) });
export type StoredBlob = z.infer<typeof StoredBlob>;

/** `POST /agent/sync/generations`: the manifest of a new generation (primary only). */
export const CommitManifestResponse = z.object({ generation: GenerationId });
export type CommitManifestResponse = z.infer<typeof CommitManifestResponse>;

/** `GET /agent/sync/latest`: the site's newest generation, and whether the caller publishes. */
export const SyncStatus = z.object({
  generation: GenerationId.nullable(),
  role: z.enum(['primary', 'secondary']),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** A kept generation, as listings show it. */
export const GenerationSummary = z.object({
  generation: GenerationId,
  nodeId: z.string(),
  createdAt: z.iso.datetime(),
  tables: z.number().int().min(0),
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type GenerationSummary = z.infer<typeof GenerationSummary>;

/** `GET /agent/sync/generations`: the site's kept generations, newest first. */
export const GenerationList = z.object({ generations: z.array(GenerationSummary) });
export type GenerationList = z.infer<typeof GenerationList>;

/** How many generations to keep (hourly, daily, weekly: the newest of each period). */
export const RetentionPolicy = z.object({
  hourly: z.number().int().min(0),
  daily: z.number().int().min(0),
  weekly: z.number().int().min(0),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

/** What a retention pass removed. */
export const RetentionResult = z.object({
  kept: z.array(GenerationId),
  deletedGenerations: z.number().int().min(0),
  deletedBlobs: z.number().int().min(0),
});
export type RetentionResult = z.infer<typeof RetentionResult>;

/** A call the sync store refused: the HTTP status and what to do, for the gateway to answer. */
export interface SyncRefusal {
  refused: { status: 400 | 403 | 404 | 409 | 422; detail: string };
}

/** Whether a sync call's answer is a refusal. */
export function isSyncRefusal(answer: unknown): answer is SyncRefusal {
  return typeof answer === 'object' && answer !== null && 'refused' in answer;
}

/** A blob's bytes as the sync store answers them. */
export interface BlobBody {
  size: number;
  body: ReadableStream<Uint8Array>;
}

/** One part of a multipart blob upload, as the sync Worker's `putPart` takes it. */
export interface PartUpload {
  sha256: BlobHash;
  uploadId: string;
  partNumber: number;
  size: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * The SyncAgent entrypoint's methods (workers/sync), as the gateway calls them over RPC: each
 * takes the verified caller and answers plain data or a `SyncRefusal`.
 */
export interface SyncApi {
  missingBlobs(caller: AgentCaller, input: MissingBlobsRequest): Promise<MissingBlobsResponse>;
  putBlob(
    caller: AgentCaller,
    input: { sha256: BlobHash; size: number; body: ReadableStream<Uint8Array> },
  ): Promise<StoredBlob | SyncRefusal>;
  startUpload(caller: AgentCaller, input: StartUploadRequest): Promise<StartUploadResponse>;
  putPart(caller: AgentCaller, input: PartUpload): Promise<UploadedPart | SyncRefusal>;
  completeUpload(
    caller: AgentCaller,
    input: CompleteUploadRequest & { sha256: BlobHash; uploadId: string },
  ): Promise<StoredBlob | SyncRefusal>;
  commitManifest(
    caller: AgentCaller,
    manifest: Manifest,
  ): Promise<CommitManifestResponse | SyncRefusal>;
  latestGeneration(caller: AgentCaller): Promise<SyncStatus>;
  getManifest(
    caller: AgentCaller,
    input: { generation: GenerationId },
  ): Promise<Manifest | SyncRefusal>;
  getBlob(caller: AgentCaller, input: { sha256: BlobHash }): Promise<BlobBody | SyncRefusal>;
  listGenerations(caller: AgentCaller): Promise<GenerationList>;
  applyRetention(caller: AgentCaller): Promise<RetentionResult>;
}
