import { AgentConfig, createLogger } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { agentTasks } from './agent-tasks.ts';
import type { WordPressDb } from './db/wordpress-db.ts';
import type { EdgeClient } from './edge/edge-client.ts';
import { createAgentMetrics } from './metrics/agent-metrics.ts';

describe('the tasks of wp-edge-agent run', () => {
  it('long-poll comments, beat every 10 s, report moderation every 5 s, WordPress’s own comments every second, publish the catalog every 30 s and copy views every intervalSeconds', () => {
    const agent = AgentConfig.parse({
      edgeUrl: 'https://blog.example.com',
      siteId: 'blog',
      nodeId: 'blog-home',
      keyId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
      secret: 'a'.repeat(64),
      database: { user: 'wordpress', name: 'wordpress' },
    });
    const tasks = agentTasks({
      agent,
      // No pass runs here: only the schedule is read.
      db: {} as WordPressDb,
      edge: {} as EdgeClient,
      metrics: createAgentMetrics(),
      logger: createLogger({}, { write: () => {} }),
    });
    expect(Object.fromEntries(tasks.map((task) => [task.name, task.intervalMs]))).toEqual({
      'comment sync': 0,
      heartbeat: 10_000,
      'moderation report': 5_000,
      'native comments report': 1_000,
      'catalog publish': 30_000,
      'views sync': 300_000,
    });
  });
});
