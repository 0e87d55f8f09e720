import { createLogger, createWorkerApp } from '@wp-edge/core';
import { deliverNotifications } from './notify/deliver.ts';
import type { Notification } from './notify/notification.ts';
import { agentRoutes } from './routes/agent.ts';
import { apiIntake, formIntake } from './routes/intake.ts';
import { runScheduled } from './scheduled.ts';

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
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.cron)),
} satisfies ExportedHandler<Env, Notification>;
