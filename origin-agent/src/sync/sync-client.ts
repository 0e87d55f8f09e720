import {
  type AgentConfig,
  type BlobHash,
  CommitManifestResponse,
  GenerationList,
  MAX_MISSING_QUERY,
  Manifest,
  MissingBlobsResponse,
  StartUploadResponse,
  SYNC_PART_BYTES,
  SYNC_PATHS,
  SyncStatus,
  signRequest,
  UploadedPart,
} from '@wp-edge/core';
import { z } from 'zod';
import { EdgeError } from '../edge/edge-client.ts';

type Key = Pick<AgentConfig, 'edgeUrl' | 'keyId' | 'secret'>;

const TIMEOUT_MS = 120_000;

async function refusal(response: Response, what: string): Promise<EdgeError> {
  const detail = (await response.text()).slice(0, 300);
  return new EdgeError(
    response.status,
    `the edge answered ${response.status} to ${what}: ${detail}`,
  );
}

/** The content sync's agent API (`/agent/sync/*`), signed with the node's key. */
export function syncClient(config: Key) {
  const key = { keyId: config.keyId, secret: config.secret };

  async function call(
    method: string,
    path: string,
    query: Record<string, string>,
    body?: Uint8Array,
    contentType = 'application/octet-stream',
  ): Promise<Response> {
    const url = new URL(path, config.edgeUrl);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers = await signRequest({ method, url, ...key, ...(body ? { body } : {}) });
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': contentType } : {}) },
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw await refusal(response, `${method} ${url.pathname}`);
    return response;
  }

  async function json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    input?: { query?: Record<string, string>; body?: unknown },
  ): Promise<z.infer<S>> {
    const body =
      input?.body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(input.body));
    const response = await call(method, path, input?.query ?? {}, body, 'application/json');
    return schema.parse(await response.json());
  }

  return {
    /** Which of these blobs the edge lacks, asked in as many calls as the limit needs. */
    async missing(blobs: BlobHash[]): Promise<Set<BlobHash>> {
      const missing = new Set<BlobHash>();
      for (let i = 0; i < blobs.length; i += MAX_MISSING_QUERY) {
        const answer = await json(MissingBlobsResponse, 'POST', SYNC_PATHS.missing, {
          body: { blobs: blobs.slice(i, i + MAX_MISSING_QUERY) },
        });
        for (const sha of answer.missing) missing.add(sha);
      }
      return missing;
    },

    /** Uploads a blob of at most one part. */
    async putBlob(sha256: BlobHash, bytes: Uint8Array): Promise<void> {
      await call('PUT', SYNC_PATHS.blob, { sha256 }, bytes);
    },

    /**
     * Uploads a large blob in parts, reading one part at a time from `readPart` (the bytes
     * from `offset`, at most `SYNC_PART_BYTES`), so memory holds one part whatever the size.
     */
    async putLargeBlob(
      sha256: BlobHash,
      size: number,
      readPart: (offset: number, length: number) => Promise<Uint8Array>,
    ): Promise<void> {
      const { uploadId } = await json(StartUploadResponse, 'POST', SYNC_PATHS.uploadStart, {
        body: { sha256, size },
      });
      const parts: UploadedPart[] = [];
      for (let offset = 0, part = 1; offset < size; offset += SYNC_PART_BYTES, part++) {
        const bytes = await readPart(offset, Math.min(SYNC_PART_BYTES, size - offset));
        const response = await call(
          'PUT',
          SYNC_PATHS.uploadPart,
          { sha256, uploadId, part: String(part) },
          bytes,
        );
        parts.push(UploadedPart.parse(await response.json()));
      }
      await json(z.unknown(), 'POST', SYNC_PATHS.uploadComplete, {
        body: { sha256, uploadId, parts },
      });
    },

    /** A blob's bytes as a stream (the caller checks they hash to its name). */
    async getBlob(sha256: BlobHash): Promise<ReadableStream<Uint8Array>> {
      const response = await call('GET', SYNC_PATHS.blob, { sha256 });
      if (!response.body) throw new EdgeError(502, `the edge sent blob ${sha256} without a body`);
      return response.body;
    },

    async commit(manifest: Manifest): Promise<string> {
      return (await json(CommitManifestResponse, 'POST', SYNC_PATHS.commit, { body: manifest }))
        .generation;
    },

    /** The site's newest generation and this node's role. */
    async status() {
      return json(SyncStatus, 'GET', SYNC_PATHS.latest);
    },

    async latest(): Promise<string | null> {
      return (await json(SyncStatus, 'GET', SYNC_PATHS.latest)).generation;
    },

    async manifest(generation: string): Promise<Manifest> {
      const stored = await json(z.unknown(), 'GET', SYNC_PATHS.manifest, {
        query: { generation },
      });
      return Manifest.parse(stored);
    },

    async generations() {
      return (await json(GenerationList, 'GET', SYNC_PATHS.generations)).generations;
    },
  };
}

export type SyncClient = ReturnType<typeof syncClient>;
