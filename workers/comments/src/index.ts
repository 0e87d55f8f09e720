import { createLogger, createWorkerApp } from '@wp-edge/core';
import { drizzle } from 'drizzle-orm/d1';
import { pruneLogs } from './agent/log-retention.ts';
import { deliverNotifications } from './notify/deliver.ts';
import type { Notification } from './notify/notification.ts';
import { agentRoutes } from './routes/agent.ts';
import { apiIntake, formIntake } from './routes/intake.ts';

/** wp-edge comments Worker: accepts comments at the edge and serves them to every node's agent. */
const app = createWorkerApp<{ Bindings: Env }>('comments');

app.route('/', formIntake);
app.route('/', apiIntake);
app.route('/agent', agentRoutes);

export { CommentFeed } from './feed/comment-feed.ts';

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<Notification>) =>
    deliverNotifications(batch, createLogger({ service: 'comments', part: 'notifications' })),
  scheduled: (_controller, env, ctx) =>
    ctx.waitUntil(
      pruneLogs(drizzle(env.DB), Date.now()).then((pruned) =>
        createLogger({ service: 'comments', part: 'retention' }).info('comment logs pruned', {
          pruned,
        }),
      ),
    ),
} satisfies ExportedHandler<Env, Notification>;
