import { CliError } from '../errors.ts';

/** What the S3 uploader needs to reach the image bucket through R2's S3-compatible API. */
export interface R2Access {
  /** `https://<account id>.r2.cloudflarestorage.com`, or `R2_ENDPOINT`. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const TOKEN_HELP =
  'make an R2 API token in the Cloudflare dashboard (R2 → Manage API tokens, Object Read & Write on the image bucket) and set its Access Key ID and Secret Access Key';

/**
 * The image bucket's S3 endpoint and credentials from the environment: `R2_ACCESS_KEY_ID`,
 * `R2_SECRET_ACCESS_KEY`, and `CLOUDFLARE_ACCOUNT_ID` (or the config's `account_id`) unless
 * `R2_ENDPOINT` names the endpoint. Refuses, naming every variable missing.
 */
export function r2Access(
  env: Record<string, string | undefined>,
  config: { bucket: string; accountId: string | undefined },
): R2Access {
  const value = (name: string) => env[name]?.trim() || undefined;
  const accountId = value('CLOUDFLARE_ACCOUNT_ID') ?? config.accountId;
  const endpoint =
    value('R2_ENDPOINT') ?? (accountId && `https://${accountId}.r2.cloudflarestorage.com`);
  const accessKeyId = value('R2_ACCESS_KEY_ID');
  const secretAccessKey = value('R2_SECRET_ACCESS_KEY');
  const missing = [
    ...(accessKeyId ? [] : ['R2_ACCESS_KEY_ID']),
    ...(secretAccessKey ? [] : ['R2_SECRET_ACCESS_KEY']),
    ...(endpoint ? [] : ['CLOUDFLARE_ACCOUNT_ID']),
  ];
  if (!accessKeyId || !secretAccessKey || !endpoint)
    throw new CliError(
      `images sync --remote uploads through R2's S3 API and needs ${missing.join(', ')} in the environment: ${TOKEN_HELP} as R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY, and your account id (on the dashboard's R2 page) as CLOUDFLARE_ACCOUNT_ID`,
    );
  if (!/^https?:$/.test(URL.parse(endpoint)?.protocol ?? ''))
    throw new CliError(`R2_ENDPOINT must be an http(s) URL, not ${endpoint}`);
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    bucket: config.bucket,
    accessKeyId,
    secretAccessKey,
  };
}
