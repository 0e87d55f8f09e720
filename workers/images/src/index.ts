import { createWorkerApp } from '@wp-edge/core';

/** wp-edge images Worker: A random image API over R2. */
const app = createWorkerApp<{ Bindings: Env }>('images');

export default app;
