import { createWorkerApp, type SiteVariables } from '@wp-edge/core';
import { imageBytesRoutes } from './routes/image-bytes.ts';
import { pickRoutes } from './routes/pick.ts';

/** wp-edge images Worker: a fast, fair random image API over R2. */
const app = createWorkerApp<{ Bindings: Env; Variables: SiteVariables }>('images', { site: {} });

app.route('/api/random-image', pickRoutes);
app.route('/api/random-image', imageBytesRoutes);

export default app;
