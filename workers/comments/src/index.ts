import { createLogger, createWorkerApp } from '@wp-edge/core';
import { deliverNotifications } from './notify/deliver.ts';
import type { Notification } from './notify/notification.ts';
import { apiIntake, formIntake } from './routes/intake.ts';
import { runScheduled } from './scheduled.ts';

/** wp-edge comments Worker: accepts comments at the edge and serves them to every node's agent. */
const app = createWorkerApp<{ Bindings: Env }>('comments');

app.route('/', formIntake);
app.route('/', apiIntake);

// The agent API, reached only through the router's agent gateway (a service binding with
// `entrypoint: "CommentsAgent"`), which has checked the node's signature.
export { CommentsAgent } from './agent/comments-agent.ts';
export { CommentFeed } from './feed/comment-feed.ts';

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<Notification>) =>
    deliverNotifications(batch, createLogger({ service: 'comments', part: 'notifications' })),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.cron)),
} satisfies ExportedHandler<Env, Notification>;
