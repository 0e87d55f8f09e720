import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The agent's Prometheus metrics, in a registry of their own, with Node's process metrics. */
export function createAgentMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wp_edge_agent_' });
  const registers = [registry];
  return {
    registry,
    commentEventsApplied: new Counter({
      name: 'wp_edge_agent_comment_events_applied_total',
      help: "Events of the edge's comment log (new comments, moderation) applied to this node's database",
      registers,
    }),
    commentEventsQuarantined: new Counter({
      name: 'wp_edge_agent_comment_events_quarantined_total',
      help: "Events of the edge's comment log this node's database refused, set aside in wp_edge_quarantine",
      registers,
    }),
    commentLag: new Gauge({
      name: 'wp_edge_agent_comment_lag_events',
      help: "Events of the edge's comment log this node had yet to apply after its last pull",
      registers,
    }),
    taskPasses: new Counter({
      name: 'wp_edge_agent_task_passes_total',
      help: 'Passes of each periodic task (comment sync, heartbeat, …), by outcome',
      labelNames: ['task', 'outcome'] as const,
      registers,
    }),
    taskLastSuccess: new Gauge({
      name: 'wp_edge_agent_task_last_success_timestamp_seconds',
      help: 'When each periodic task last completed a pass (Unix time)',
      labelNames: ['task'] as const,
      registers,
    }),
    nodeUp: new Gauge({
      name: 'wp_edge_agent_edge_node_up',
      help: 'Whether the edge counted this node up at the last heartbeat (1) or down (0)',
      registers,
    }),
  };
}
export type AgentMetrics = ReturnType<typeof createAgentMetrics>;

/** Counts one pass of a periodic task. */
export function countPass(metrics: AgentMetrics, task: string, ok: boolean): void {
  metrics.taskPasses.inc({ task, outcome: ok ? 'ok' : 'failed' });
  if (ok) metrics.taskLastSuccess.set({ task }, Date.now() / 1000);
}
