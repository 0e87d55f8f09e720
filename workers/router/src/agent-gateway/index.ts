import { AGENT_ROUTES as ROUTES, validate } from '@wp-edge/core';
import { Hono } from 'hono';
import { commentsAgent, viewsAgent } from './agent-workers.ts';
import { answer, callerOf, type GatewayEnv, signedByNode } from './caller.ts';
import { healthReport, recordHeartbeat } from './node-health.ts';
import { purge, purgePages } from './purge-pages.ts';
import { syncRoutes } from './sync-routes.ts';

const ok = <T>(value: T) => ({ ok: true as const, value });

/**
 * The agent API, every route on its exact path (`AGENT_ROUTES`): the node's signature is
 * checked here once, and the verified caller goes over RPC to the Worker that serves the call
 * (the comments Worker's `CommentsAgent`, the views Worker's `ViewsAgent`, the sync Worker's
 * `SyncAgent`) or to the router's
 * own health registry and edge cache.
 */
export const agentGateway = new Hono<GatewayEnv>()
  .get(ROUTES.comments.path, signedByNode, validate('query', ROUTES.comments.input), (c) =>
    answer(c, commentsAgent(c.env).comments(callerOf(c), c.req.valid('query'))),
  )
  .post(ROUTES.ack.path, signedByNode, validate('json', ROUTES.ack.input), async (c) => {
    const { purge: paths, ...progress } = c.req.valid('json');
    const caller = callerOf(c);
    const [recorded, purged] = await Promise.all([
      commentsAgent(c.env).ack(caller, progress),
      purgePages(c.env, caller, paths),
    ]);
    return answer(c, Promise.resolve(recorded.ok ? ok({ ...recorded.value, purged }) : recorded));
  })
  .post(ROUTES.catalog.path, signedByNode, validate('json', ROUTES.catalog.input), (c) =>
    answer(c, commentsAgent(c.env).catalog(callerOf(c), c.req.valid('json'))),
  )
  .post(ROUTES.moderation.path, signedByNode, validate('json', ROUTES.moderation.input), (c) =>
    answer(c, commentsAgent(c.env).moderation(callerOf(c), c.req.valid('json'))),
  )
  .post(
    ROUTES.nativeComments.path,
    signedByNode,
    validate('json', ROUTES.nativeComments.input),
    (c) => answer(c, commentsAgent(c.env).nativeComments(callerOf(c), c.req.valid('json'))),
  )
  .post(ROUTES.heartbeat.path, signedByNode, validate('json', ROUTES.heartbeat.input), async (c) =>
    c.json(await recordHeartbeat(c.env, callerOf(c), c.req.valid('json'))),
  )
  .get(ROUTES.health.path, signedByNode, async (c) =>
    c.json(await healthReport(c.env, callerOf(c))),
  )
  .post(ROUTES.purge.path, signedByNode, validate('json', ROUTES.purge.input), async (c) =>
    c.json(await purge(c.env, callerOf(c), c.req.valid('json').pages)),
  )
  .get(ROUTES.views.path, signedByNode, validate('query', ROUTES.views.input), (c) =>
    answer(c, viewsAgent(c.env).views(callerOf(c), c.req.valid('query'))),
  )
  .route('/', syncRoutes);
