import { WorkerEntrypoint } from 'cloudflare:workers';
import type { AgentCaller, ViewsAgentApi, ViewsQuery } from '@wp-edge/core';
import { countPages, settle, wipeSite } from '../counting/shards.ts';
import { pageKey } from '../schemas.ts';

/**
 * The views Worker's part of the agent API, called over RPC by the router's agent gateway
 * with the caller its signature proved: the counts an agent copies into post meta.
 */
export class ViewsAgent extends WorkerEntrypoint<Env> implements ViewsAgentApi {
  /**
   * The views and unique visitors of the caller's site's posts, exact: every shard first
   * sends the rollup what it counted (an agent asks every few minutes, so it can afford the
   * 16 calls the public batch read saves).
   */
  async views(caller: AgentCaller, { posts }: ViewsQuery) {
    await settle(this.env, caller.siteId);
    const counts = await countPages(
      this.env,
      caller.siteId,
      posts.map((postId) => pageKey({ postId })),
    );
    return {
      ok: true as const,
      value: {
        posts: Object.fromEntries(
          posts.map((postId) => [postId, counts[pageKey({ postId })] ?? { views: 0, visitors: 0 }]),
        ),
      },
    };
  }

  /**
   * Empties every shard and the rollup of a removed site, answering the rows each still holds (none). Called
   * by the router's sweep of `site_removals`, never through the agent API.
   */
  forgetSite(siteId: string): Promise<Record<string, number>[]> {
    return wipeSite(this.env, siteId);
  }
}
