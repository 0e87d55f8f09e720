import { z } from 'zod';
import { GenerationId } from '../contract/sync-api.ts';

/** One local check of a node, as its agent saw it. */
const Check = z.object({ ok: z.boolean(), detail: z.string().max(500).optional() });

/** `POST /agent/heartbeat`: a node's own view of its health, every 10 s. */
export const Heartbeat = z.object({
  checks: z.object({
    wordpress: Check.optional(),
    database: Check,
  }),
  diskFreeBytes: z.number().min(0).optional(),
  load1: z.number().min(0).optional(),
  commentLag: z.number().int().min(0).optional(),
  /** The content generation the node serves (content sync), for freshness. */
  contentGeneration: GenerationId.optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** What the edge thinks of a node: up or down, since when and why. */
export const NodeHealth = z.object({
  up: z.boolean(),
  since: z.iso.datetime(),
  reason: z.string(),
  lastHeartbeat: z.iso.datetime().optional(),
  /** The content generation the node last said it serves. */
  contentGeneration: GenerationId.optional(),
});
export type NodeHealth = z.infer<typeof NodeHealth>;
