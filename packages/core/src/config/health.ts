import { z } from 'zod';
import { GenerationId } from '../contract/sync-api.ts';

/** What the edge thinks of a node: up or down, since when and why. */
export const NodeHealth = z.object({
  up: z.boolean(),
  since: z.iso.datetime(),
  reason: z.string(),
  lastHeartbeat: z.iso.datetime().optional(),
  /** The content generation the node last said it serves (content sync). */
  contentGeneration: GenerationId.optional(),
});
export type NodeHealth = z.infer<typeof NodeHealth>;
