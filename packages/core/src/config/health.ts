import { z } from 'zod';

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
  /** Comment-log events this node's database refused, set aside in `wp_edge_quarantine`. */
  quarantined: z.number().int().min(0).optional(),
  /** When the agent last copied view counts into post meta (ISO time). */
  viewsCopiedAt: z.iso.datetime().optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** What the edge thinks of a node: up or down, since when and why. */
export const NodeHealth = z.object({
  up: z.boolean(),
  since: z.iso.datetime(),
  reason: z.string(),
  lastHeartbeat: z.iso.datetime().optional(),
});
export type NodeHealth = z.infer<typeof NodeHealth>;
