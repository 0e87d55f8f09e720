import { createWorkerApp } from '@wp-edge/core';
import { CLIENT_SCRIPT_PATH, clientRoutes } from './routes/client.ts';
import { readRoutes } from './routes/read.ts';
import { recordRoutes } from './routes/record.ts';
import { siteCors, type ViewsEnv } from './site-context.ts';

/** wp-edge views Worker: exact page-view and unique-visitor counts, private and bot-free. */
const app = createWorkerApp<ViewsEnv>('views', { site: { except: [CLIENT_SCRIPT_PATH] } });

app.route('/api/views', clientRoutes);
app.use('/api/views', siteCors);
app.use('/api/views/*', siteCors);
app.route('/api/views', recordRoutes);
app.route('/api/views', readRoutes);

// The counts agents copy into post meta, reached only through the router's agent gateway
// (a service binding with `entrypoint: "ViewsAgent"`), which has checked the node's signature.
export { ViewsAgent } from './agent/views-agent.ts';
export { DailySalt } from './counting/daily-salt.ts';
export { ViewRollup } from './counting/view-rollup.ts';
export { ViewShard } from './counting/view-shard.ts';
export default app;
