import { createLogger, createWorkerApp, ProblemError, problemErrorHandler } from '@wp-edge/core';
import { refusalPage } from './intake/form-answers.ts';
import { deliverNotifications } from './notify/deliver.ts';
import type { Notification } from './notify/notification.ts';
import { replyMail } from './reply-mail/route.ts';
import { apiIntake, type CommentsEnv, FORM_PATH, formIntake } from './routes/intake.ts';
import { runScheduled } from './scheduled.ts';

/** wp-edge comments Worker: accepts comments at the edge and serves them to every node's agent. */
const app = createWorkerApp<CommentsEnv>('comments', { site: {} });
const problems = problemErrorHandler(createLogger({ service: 'comments' }));

// A refused form post gets WordPress's error page, as from WordPress itself; the rest problem+json.
app.onError((error, c) =>
  error instanceof ProblemError && c.req.path === FORM_PATH
    ? refusalPage(error)
    : problems(error, c),
);

app.route('/', formIntake);
app.route('/', apiIntake);
app.route('/', replyMail);

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
