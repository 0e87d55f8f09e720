import { openAsBlob } from 'node:fs';
import { AwsV4Signer } from 'aws4fetch';
import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { CliError } from '../errors.ts';
import type { R2Access } from './r2-access.ts';
import type { ImageUploader } from './uploader.ts';

// R2 answers from far away: many requests in flight hide the round trips, and each holds
// only a stream's buffer, not its file.
const REQUESTS_AT_ONCE = 16;
const ATTEMPTS = 3;

/** A path segment encoded as SigV4 canonicalizes it, so the URL and the signature agree. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The `<Code>` and `<Message>` of an S3 error document, or the bare status. */
async function s3Error(response: Response): Promise<string> {
  const body = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return [`${response.status}`, code, message && `(${message})`].filter(Boolean).join(' ');
}

function advice(status: number, error: string, access: R2Access): string {
  if (status === 401 || status === 403)
    return '; check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY: the Access Key ID and Secret Access Key of an R2 API token with Object Read & Write on the bucket';
  if (error.includes('NoSuchBucket'))
    return `; create it with: npx wrangler r2 bucket create ${access.bucket}`;
  if (error.includes('XAmzContentSHA256Mismatch'))
    return '; the file changed while it was synced: run the sync again';
  return '';
}

interface Call {
  method: 'PUT' | 'DELETE';
  key: string;
  headers?: Record<string, string>;
  /** A fresh body for each attempt, read from disk as it is sent. */
  body?: () => Promise<Blob>;
}

/**
 * The deployed image bucket through R2's S3-compatible API, signed with SigV4 (region `auto`,
 * path-style bucket). Each file is streamed from disk under the SHA-256 the sync already read,
 * so R2 checks the bytes it stores against it; a 5xx, a 429 or a lost connection is tried again
 * with the file opened anew.
 */
export function s3Uploader(access: R2Access): ImageUploader {
  const url = (key: string) =>
    `${access.endpoint}/${encodeSegment(access.bucket)}/${key.split('/').map(encodeSegment).join('/')}`;

  /** One try: a refusal that another try cannot change aborts the retries. */
  async function attempt(call: Call, action: string): Promise<void> {
    const signed = await new AwsV4Signer({
      url: url(call.key),
      method: call.method,
      headers: call.headers ?? {},
      service: 's3',
      region: 'auto',
      accessKeyId: access.accessKeyId,
      secretAccessKey: access.secretAccessKey,
    }).sign();
    let response: Response;
    try {
      response = await fetch(signed.url, {
        method: signed.method,
        headers: signed.headers,
        // A file-backed Blob: fetch streams it with its length as Content-Length, and reading
        // it fails if the file changes meanwhile.
        ...(call.body ? { body: await call.body() } : {}),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: unknown }).cause;
      throw new Error(cause ? String(cause) : (error as Error).message);
    }
    if (response.ok || (call.method === 'DELETE' && response.status === 404)) {
      await response.body?.cancel();
      return;
    }
    const failure = await s3Error(response);
    if (response.status < 500 && response.status !== 429)
      throw new AbortError(
        new CliError(
          `R2 refused to ${action}: ${failure}${advice(response.status, failure, access)}`,
        ),
      );
    throw new Error(failure);
  }

  async function send(call: Call, action: string): Promise<void> {
    try {
      await pRetry(() => attempt(call, action), {
        retries: ATTEMPTS - 1,
        minTimeout: 400,
        factor: 2,
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `could not ${action} at ${access.endpoint} after ${ATTEMPTS} tries: ${(error as Error).message}`,
      );
    }
  }

  return {
    parallel: REQUESTS_AT_ONCE,
    put: (upload) =>
      send(
        {
          method: 'PUT',
          key: upload.key,
          headers: {
            'content-type': upload.contentType,
            // The payload's hash, signed: R2 refuses a body whose bytes differ.
            'x-amz-content-sha256': upload.sha256,
          },
          body: () => openAsBlob(upload.file),
        },
        `store ${upload.key} in bucket ${access.bucket}`,
      ),
    async delete(keys) {
      const limit = pLimit(REQUESTS_AT_ONCE);
      await Promise.all(
        keys.map((key) =>
          limit(() =>
            send({ method: 'DELETE', key }, `remove ${key} from bucket ${access.bucket}`),
          ),
        ),
      );
    },
  };
}
