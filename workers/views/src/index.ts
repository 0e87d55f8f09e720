import { createWorkerApp } from '@wp-edge/core';

/** wp-edge views Worker: Exact page-view and unique-visitor counts. */
const app = createWorkerApp<{ Bindings: Env }>('views');

export default app;
