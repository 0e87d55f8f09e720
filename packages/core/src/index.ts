export { addressKey } from './address-key.ts';
export {
  createdPayload,
  LOG_PAYLOAD_FORMAT,
  moderatedPayload,
  readLogEntry,
} from './comments/log-entry.ts';
export {
  CommentEvent,
  CommentStatus,
  EdgeComment,
} from './comments/schemas.ts';
export {
  AgentConfig,
  AgentMetricsConfig,
  ContentSyncConfig,
  DEFAULT_CACHE_DIR,
  DEFAULT_KEPT_DIR,
  NodeSecret,
  ViewsSyncConfig,
} from './config/agent.ts';
export { NodeHealth } from './config/health.ts';
export {
  IMAGE_MANIFEST_FORMAT,
  ImageCategory,
  ImageManifest,
  imageManifestKey,
  imageObjectKey,
  ManifestImage,
  manifestDocument,
  readManifest,
} from './config/images.ts';
export { SeedConfig } from './config/seed.ts';
export {
  type SettingDefault,
  settingDefaults,
  settingsTable,
} from './config/settings-reference.ts';
export {
  AlertEmail,
  CommentWebhook,
  HostName,
  NodeConfig,
  NodeId,
  NodeRole,
  NodeWeight,
  OriginUrl,
  SiteConfig,
  SiteId,
  SiteSettings,
  WordPressLocale,
} from './config/site.ts';
export type { KvReader } from './config/site-directory.ts';
export type { SiteVariables } from './config/site-from-host.ts';
export {
  readSnapshot,
  SiteSnapshot,
  SNAPSHOT_FORMAT,
  snapshotDocument,
  snapshotKey,
} from './config/snapshot.ts';
export { readStored, StoredFormatError, storedDocument } from './config/stored-format.ts';
export {
  Ack,
  AckAnswer,
  AGENT_PROBLEM,
  AGENT_ROUTES,
  type AgentAnswer,
  type AgentCaller,
  type AgentProblem,
  type AgentRoute,
  CatalogAnswer,
  CatalogUpdate,
  CommentPage,
  type CommentsAgentApi,
  CommentsQuery,
  HealthReport,
  Heartbeat,
  MAX_CATALOG_ITEMS,
  MAX_NATIVE_COMMENTS,
  MAX_PAGE_EVENTS,
  MAX_PURGE_PAGES,
  MAX_VIEW_POSTS,
  ModerationAnswer,
  ModerationReport,
  NativeCommentsLogged,
  NativeCommentsReport,
  PurgeAnswer,
  PurgedPage,
  PurgeRequest,
  ViewCounts,
  type ViewsAgentApi,
  ViewsQuery,
} from './contract/agent-api.ts';
export { RENDERED_BY_FIELD } from './contract/comment-form.ts';
export {
  ALERT_KINDS,
  type AlertKind,
  AlertPeriod,
  DeliveryFailure,
  NodeStatus,
  SiteStatus,
  STATUS_PATH,
  STATUS_TOKEN_COOKIE,
} from './contract/site-status.ts';
export {
  type BlobBody,
  BlobHash,
  CommitManifestResponse,
  CompleteUploadRequest,
  ContentPath,
  GenerationId,
  GenerationList,
  GenerationPurge,
  GenerationSummary,
  generationTimeMs,
  isSyncRefusal,
  KeptSnapshotId,
  keptSnapshotId,
  MAX_GENERATION_PURGE_PAGES,
  MAX_MISSING_QUERY,
  Manifest,
  ManifestFile,
  ManifestTable,
  MissingBlobsRequest,
  MissingBlobsResponse,
  manifestBlobs,
  PagePath,
  type PartUpload,
  RetentionPolicy,
  RetentionResult,
  readSyncManifest,
  StartUploadRequest,
  StartUploadResponse,
  StoredBlob,
  SYNC_MANIFEST_FORMAT,
  SYNC_PART_BYTES,
  SYNC_PATHS,
  type SyncApi,
  type SyncRefusal,
  SyncStatus,
  syncBlobKey,
  syncGenerationKey,
  syncGenerationsPrefix,
  syncManifestDocument,
  syncSitePrefix,
  TableChunk,
  UploadedPart,
} from './contract/sync-api.ts';
export { statusOfApproved, WP_APPROVED } from './contract/wordpress-comments.ts';
export {
  EDGE_ID_META_KEY,
  HELD_COMMENT_COOKIE,
  HELD_COMMENT_TTL_SECONDS,
  HeldComment,
  NOTIFIED_META_KEY,
  NOTIFY_REPLIES_FIELD,
  NOTIFY_REPLIES_META_KEY,
  ORIGIN_SECRET_HEADER,
  REDIRECT_COMMENT_PARAM,
  REPLY_MAIL_KEY_ID,
  REPLY_MAIL_PATH,
  ReplyMail,
  signHeldComment,
} from './contract/wordpress-plugin.ts';
export { type SqlStorageOwner, storedRows, wipeStorage } from './durable-storage.ts';
export {
  PROBLEM_CONTENT_TYPE,
  problemErrorHandler,
  problemNotFound,
  problemResponse,
} from './errors/handler.ts';
export {
  type FieldError,
  fieldErrors,
  type Problem,
  ProblemError,
  validationProblem,
} from './errors/problem.ts';
export { validate } from './errors/validate.ts';
export { type FigureRow, FigureTally } from './figures/tally.ts';
export { HEALTH_PATH, type HealthAnswer } from './health.ts';
export { sha256Hex, toHex } from './hex.ts';
export { newId, newSecret } from './ids.ts';
export { createLogger, type LogFields, type Logger, type LogLevel } from './logger.ts';
export { webhookBody } from './notify/webhook-body.ts';
export { RefreshingCache, type RefreshingCacheOptions } from './refreshing-cache.ts';
export { requestUrl } from './request-url.ts';
export { SIGNATURE_SCHEME, SignatureHeader } from './signing/canonical.ts';
export { requireSignature } from './signing/middleware.ts';
export { MemoryReplayGuard, type NonceClaim, type ReplayGuard } from './signing/replay-guard.ts';
export { type SignRequestInput, signRequest } from './signing/sign.ts';
export {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  type SignatureFailure,
  type SignedRequest,
  type VerifyOptions,
  type VerifyResult,
  verifyRequest,
} from './signing/verify.ts';
export { TtlCache } from './ttl-cache.ts';
export { createWorkerApp } from './worker-app.ts';
export {
  readSubmittedComment,
  type StoredComment,
  type SubmittedComment,
  wpFilterComment,
} from './wp-filters/comment-filters.ts';
export { WordPressWouldFail } from './wp-filters/entities.ts';
export { BlockMarkupUnsupported } from './wp-filters/kses.ts';
export { wellFormed } from './wp-filters/php.ts';
