import { z } from 'zod';

/** What the edge thinks of a node: up or down, since when and why. */
export const NodeHealth = z.object({
  up: z.boolean(),
  since: z.iso.datetime(),
  reason: z.string(),
  lastHeartbeat: z.iso.datetime().optional(),
});
export type NodeHealth = z.infer<typeof NodeHealth>;
