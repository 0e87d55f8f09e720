import { createWorkerApp } from '@wp-edge/core';

/** wp-edge comments Worker: Accepts comments at the edge and serves them to every node's origin agent. */
const app = createWorkerApp<{ Bindings: Env }>('comments');

export default app;
