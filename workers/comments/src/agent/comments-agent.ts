import { WorkerEntrypoint } from 'cloudflare:workers';
import {
  type Ack,
  AGENT_PROBLEM,
  type AgentAnswer,
  type AgentCaller,
  type CatalogUpdate,
  type CommentsAgentApi,
  type CommentsQuery,
  type ModerationReport,
  type NativeCommentsReport,
} from '@wp-edge/core';
import { drizzle } from 'drizzle-orm/d1';
import { sendAkismetVerdicts } from '../akismet/owner-verdicts.ts';
import { feedOf } from '../feed/comment-feed.ts';
import { recordAck } from './ack.ts';
import { applyCatalog } from './catalog.ts';
import { readLog } from './comment-pull.ts';
import { applyModeration } from './moderation.ts';
import { logNativeComments } from './native-comments.ts';

const ok = <T>(value: T): AgentAnswer<T> => ({ ok: true, value });

function notPrimary(caller: AgentCaller, what: string): AgentAnswer<never> | undefined {
  if (caller.role === 'primary') return undefined;
  return {
    ok: false,
    problem: {
      status: 403,
      type: AGENT_PROBLEM.notPrimary,
      detail: `only the site's primary node may send ${what}; ${caller.nodeId} is a secondary`,
    },
  };
}

/**
 * The comments Worker's part of the agent API, called over RPC by the router's agent gateway
 * with the caller its signature proved: the comment log, acknowledgements, the catalog,
 * moderation and WordPress's own comments. Inputs arrive validated by the gateway against `AGENT_ROUTES`.
 */
export class CommentsAgent extends WorkerEntrypoint<Env> implements CommentsAgentApi {
  /** The site's log after the caller's cursor, waiting up to `wait` seconds for a new entry. */
  async comments(caller: AgentCaller, { after, limit, wait }: CommentsQuery) {
    const db = drizzle(this.env.DB);
    let { page, prunedThrough } = await readLog(db, caller.siteId, after, limit);
    if (after < prunedThrough)
      return {
        ok: false as const,
        problem: {
          status: 410 as const,
          type: AGENT_PROBLEM.logPruned,
          detail: `node ${caller.nodeId} asks for the comment log after ${after}, but entries up to ${prunedThrough} were pruned (every node had applied them); copy the primary's database to this node, its cursor comes with it`,
        },
      };
    if (page.events.length === 0 && wait > 0) {
      const newer = await feedOf(this.env, caller.siteId).waitBeyond(after, wait * 1000);
      if (newer > after) ({ page } = await readLog(db, caller.siteId, after, limit));
    }
    return ok(page);
  }

  /** Records the caller's cursor and the WordPress ids its database gave edge comments. */
  async ack(caller: AgentCaller, ack: Pick<Ack, 'cursor' | 'applied'>) {
    return ok(await recordAck(drizzle(this.env.DB), caller, ack, Date.now()));
  }

  /** Applies the primary's catalog publish. */
  async catalog(caller: AgentCaller, update: CatalogUpdate) {
    return (
      notPrimary(caller, 'the catalog') ??
      ok(await applyCatalog(drizzle(this.env.DB), caller.siteId, update, Date.now()))
    );
  }

  /** Logs what the owner did on the primary, for every other node to apply. */
  async moderation(caller: AgentCaller, report: ModerationReport) {
    const refused = notPrimary(caller, 'moderation');
    if (refused) return refused;
    const db = drizzle(this.env.DB);
    const { statusChanges, ...result } = await applyModeration(db, caller, report, Date.now());
    this.ctx.waitUntil(feedOf(this.env, caller.siteId).announce(result.head));
    this.ctx.waitUntil(
      sendAkismetVerdicts(this.env.AKISMET_API_URL, db, caller.siteId, statusChanges),
    );
    return ok(result);
  }

  /** Logs the comments WordPress wrote on the primary itself, for every node to apply. */
  async nativeComments(caller: AgentCaller, report: NativeCommentsReport) {
    const refused = notPrimary(caller, 'native comments');
    if (refused) return refused;
    const { logged, head } = await logNativeComments(
      drizzle(this.env.DB),
      caller,
      report,
      Date.now(),
    );
    this.ctx.waitUntil(feedOf(this.env, caller.siteId).announce(head));
    return ok({ logged });
  }
}
