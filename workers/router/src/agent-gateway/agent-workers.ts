import type { CommentsAgentApi, SyncApi, ViewsAgentApi } from '@wp-edge/core';

// The bindings' generated type is a bare Fetcher (wrangler types sees one Worker at a time);
// the methods each entrypoint serves are the contract's.

/** The comments Worker's `CommentsAgent` entrypoint. */
export const commentsAgent = (env: Env) => env.COMMENTS_AGENT as unknown as CommentsAgentApi;

/** The views Worker's `ViewsAgent` entrypoint. */
export const viewsAgent = (env: Env) => env.VIEWS_AGENT as unknown as ViewsAgentApi;

/** The sync Worker's `SyncAgent` entrypoint. */
export const syncAgent = (env: Env) => env.SYNC_AGENT as unknown as SyncApi;
