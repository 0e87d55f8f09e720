import {
  BlobHash,
  CompleteUploadRequest,
  GenerationId,
  isSyncRefusal,
  Manifest,
  MissingBlobsRequest,
  ProblemError,
  StartUploadRequest,
  SYNC_PART_BYTES,
  SYNC_PATHS,
  validate,
} from '@wp-edge/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { syncAgent } from './agent-workers.ts';
import { callerOf as caller, type GatewayEnv, signedByNode as signed } from './caller.ts';
import { holdContentPurge } from './generation-purges.ts';

const BlobQuery = z.object({ sha256: BlobHash });
const PartQuery = z.object({
  sha256: BlobHash,
  uploadId: z.string().min(1),
  part: z.coerce.number().int().min(1).max(10_000),
});
const CompleteRequest = CompleteUploadRequest.extend({
  sha256: BlobHash,
  uploadId: z.string().min(1),
});
const GenerationQuery = z.object({ generation: GenerationId });

const syncOf = syncAgent;

/** The answer of a sync call, or its refusal as problem+json. */
function answered<T>(answer: T): Exclude<T, { refused: unknown }> {
  if (isSyncRefusal(answer)) throw new ProblemError(answer.refused.status, answer.refused.detail);
  return answer as Exclude<T, { refused: unknown }>;
}

/** The signed request's body (the signature check read it), at most one part. */
async function partBody(c: Context): Promise<{ size: number; body: ReadableStream }> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > SYNC_PART_BYTES)
    throw new ProblemError(
      413,
      `a body is at most ${SYNC_PART_BYTES} bytes; send larger blobs in parts`,
    );
  return { size: bytes.length, body: new Blob([bytes]).stream() };
}

/**
 * The content sync's agent API (`/agent/sync/*`, exact paths): served by workers/sync's
 * `SyncAgent` over RPC with the verified caller; a commit's purge is held here until every
 * serving node has the generation (`generation-purges.ts`). Blob bodies are bytes, not JSON: at most one
 * 8 MiB part each, since the signature covers the whole body.
 */
export const syncRoutes = new Hono<GatewayEnv>()
  .post(SYNC_PATHS.missing, signed, validate('json', MissingBlobsRequest), async (c) =>
    c.json(await syncOf(c.env).missingBlobs(caller(c), c.req.valid('json'))),
  )
  .put(SYNC_PATHS.blob, signed, validate('query', BlobQuery), async (c) => {
    const { sha256 } = c.req.valid('query');
    return c.json(
      answered(await syncOf(c.env).putBlob(caller(c), { sha256, ...(await partBody(c)) })),
    );
  })
  .get(SYNC_PATHS.blob, signed, validate('query', BlobQuery), async (c) => {
    const blob = answered(await syncOf(c.env).getBlob(caller(c), c.req.valid('query')));
    return new Response(blob.body, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    });
  })
  .post(SYNC_PATHS.uploadStart, signed, validate('json', StartUploadRequest), async (c) =>
    c.json(await syncOf(c.env).startUpload(caller(c), c.req.valid('json'))),
  )
  .put(SYNC_PATHS.uploadPart, signed, validate('query', PartQuery), async (c) => {
    const { sha256, uploadId, part } = c.req.valid('query');
    const input = { sha256, uploadId, partNumber: part, ...(await partBody(c)) };
    return c.json(answered(await syncOf(c.env).putPart(caller(c), input)));
  })
  .post(SYNC_PATHS.uploadComplete, signed, validate('json', CompleteRequest), async (c) =>
    c.json(answered(await syncOf(c.env).completeUpload(caller(c), c.req.valid('json')))),
  )
  .post(SYNC_PATHS.commit, signed, validate('json', Manifest), async (c) => {
    const sync = syncOf(c.env);
    const manifest = c.req.valid('json');
    const committed = answered(await sync.commitManifest(caller(c), manifest));
    await holdContentPurge(c.env, caller(c), manifest);
    c.executionCtx.waitUntil(sync.applyRetention(caller(c)));
    return c.json(committed);
  })
  .get(SYNC_PATHS.latest, signed, async (c) =>
    c.json(await syncOf(c.env).latestGeneration(caller(c))),
  )
  .get(SYNC_PATHS.manifest, signed, validate('query', GenerationQuery), async (c) =>
    c.json(answered(await syncOf(c.env).getManifest(caller(c), c.req.valid('query')))),
  )
  .get(SYNC_PATHS.generations, signed, async (c) =>
    c.json(await syncOf(c.env).listGenerations(caller(c))),
  );
