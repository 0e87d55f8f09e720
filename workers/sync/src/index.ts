import { createWorkerApp } from '@wp-edge/core';

/**
 * wp-edge sync Worker: content-addressed generations of each site's database and wp-content
 * in R2. Agents reach it only through the router's signed `/agent/sync/*` routes, which call
 * the SyncAgent entrypoint; its own fetch serves the health check alone.
 */
const app = createWorkerApp<{ Bindings: Env }>('sync');

export { SyncAgent } from './sync-agent.ts';
export default app;
