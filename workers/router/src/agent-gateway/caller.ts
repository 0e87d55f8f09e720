import type { AgentAnswer, AgentCaller } from '@wp-edge/core';
import { ProblemError } from '@wp-edge/core';
import { type NodeKey, requireNodeSignature } from '@wp-edge/core/db';
import type { Context } from 'hono';

export type GatewayEnv = { Bindings: Env; Variables: { agentKey: NodeKey } };

/**
 * The one signature check of the agent API, put on each route (not on the `/agent` prefix:
 * the site's own pages may live under `/agent/`). Its key lookups are cached for a few
 * seconds, so a rotated or removed key stops working within seconds.
 */
export const signedByNode = requireNodeSignature();

/** The verified caller of a signed request: what the Worker serving the call is told. */
export function callerOf(c: Context<GatewayEnv>): AgentCaller {
  const { siteId, nodeId, role } = c.var.agentKey;
  return { siteId, nodeId, role };
}

/** An agent Worker's answer as the agent receives it: JSON, or its refusal as problem+json. */
export async function answer<T>(c: Context<GatewayEnv>, call: Promise<AgentAnswer<T>>) {
  const result = await call;
  if (!result.ok)
    throw new ProblemError(result.problem.status, result.problem.detail, {
      type: result.problem.type,
    });
  return c.json(result.value as never, 200, { 'cache-control': 'no-store' });
}
