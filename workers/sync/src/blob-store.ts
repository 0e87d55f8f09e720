import {
  type BlobHash,
  type StoredBlob,
  SYNC_PART_BYTES,
  type SyncRefusal,
  syncBlobKey,
  type UploadedPart,
} from '@wp-edge/core';

function refuse(status: SyncRefusal['refused']['status'], detail: string): SyncRefusal {
  return { refused: { status, detail } };
}

/** `body` as a stream of exactly `size` bytes, which R2 needs to know before it stores. */
function sized(body: ReadableStream<Uint8Array>, size: number): ReadableStream<Uint8Array> {
  const fixed = new FixedLengthStream(size);
  void body.pipeTo(fixed.writable).catch(() => undefined);
  return fixed.readable;
}

async function sha256Of(body: ReadableStream<Uint8Array>): Promise<string> {
  const digest = new crypto.DigestStream('SHA-256');
  await body.pipeTo(digest);
  return [...new Uint8Array(await digest.digest)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/** The blobs of a site's content store in R2: named by their SHA-256, checked on the way in. */
export function blobStore(bucket: R2Bucket, siteId: string) {
  return {
    /** Which of these blobs the store lacks. */
    async missing(blobs: BlobHash[]): Promise<BlobHash[]> {
      const present = await Promise.all(
        blobs.map(async (sha) => (await bucket.head(syncBlobKey(siteId, sha))) !== null),
      );
      return blobs.filter((_, i) => !present[i]);
    },

    /** Stores a blob of at most one part; R2 refuses it unless its bytes hash to `sha256`. */
    async put(
      sha256: BlobHash,
      size: number,
      body: ReadableStream<Uint8Array>,
    ): Promise<StoredBlob | SyncRefusal> {
      if (size > SYNC_PART_BYTES)
        return refuse(400, `a blob over ${SYNC_PART_BYTES} bytes goes up in parts (multipart)`);
      try {
        await bucket.put(syncBlobKey(siteId, sha256), sized(body, size), { sha256 });
      } catch (error) {
        return refuse(422, `the bytes sent are not blob ${sha256}: ${(error as Error).message}`);
      }
      return { sha256, size };
    },

    /** Starts a multipart upload of a blob larger than one part. */
    async startUpload(sha256: BlobHash): Promise<{ uploadId: string }> {
      const upload = await bucket.createMultipartUpload(syncBlobKey(siteId, sha256));
      return { uploadId: upload.uploadId };
    },

    /** Stores part `partNumber` of an upload started with `startUpload`. */
    async putPart(
      sha256: BlobHash,
      uploadId: string,
      partNumber: number,
      size: number,
      body: ReadableStream<Uint8Array>,
    ): Promise<UploadedPart | SyncRefusal> {
      if (size > SYNC_PART_BYTES) return refuse(400, `a part is at most ${SYNC_PART_BYTES} bytes`);
      const upload = bucket.resumeMultipartUpload(syncBlobKey(siteId, sha256), uploadId);
      try {
        const part = await upload.uploadPart(partNumber, sized(body, size));
        return { partNumber: part.partNumber, etag: part.etag };
      } catch (error) {
        return refuse(404, `no upload ${uploadId} of blob ${sha256}: ${(error as Error).message}`);
      }
    },

    /**
     * Completes an upload, then reads the blob back: one whose bytes do not hash to its name
     * is deleted at once and refused, so the store never keeps a blob under a wrong name.
     */
    async completeUpload(
      sha256: BlobHash,
      uploadId: string,
      parts: UploadedPart[],
    ): Promise<StoredBlob | SyncRefusal> {
      const key = syncBlobKey(siteId, sha256);
      try {
        await bucket.resumeMultipartUpload(key, uploadId).complete(parts);
      } catch (error) {
        return refuse(404, `upload ${uploadId} of blob ${sha256}: ${(error as Error).message}`);
      }
      const stored = await bucket.get(key);
      if (!stored) return refuse(404, `blob ${sha256} vanished while it was checked`);
      const actual = await sha256Of(stored.body);
      if (actual !== sha256) {
        await bucket.delete(key);
        return refuse(422, `the parts sent hash to ${actual}, not ${sha256}: upload them again`);
      }
      return { sha256, size: stored.size };
    },

    /** A blob's bytes, streamed, or null when the store lacks it. */
    async get(sha256: BlobHash): Promise<{ size: number; body: ReadableStream } | null> {
      const object = await bucket.get(syncBlobKey(siteId, sha256));
      return object ? { size: object.size, body: object.body } : null;
    },

    /** Deletes blobs (retention), at most 1,000 keys a call as R2 takes them. */
    async delete(blobs: BlobHash[]): Promise<void> {
      for (let i = 0; i < blobs.length; i += 1000)
        await bucket.delete(blobs.slice(i, i + 1000).map((sha) => syncBlobKey(siteId, sha)));
    },
  };
}
