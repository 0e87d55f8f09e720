// `npm run dev`: the whole edge on one port, as in production: the router in front, the other
// Workers behind it over service bindings, local D1/KV/R2 state persisted in .wrangler/state.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { configuredCrons, devCronIntervalMs, startDevCron } from './dev-cron.ts';

const root = path.resolve(import.meta.dirname, '..');
const port = process.env.PORT ?? '8787';
const state = path.resolve(root, process.env.WP_EDGE_STATE ?? '.wrangler/state');
const wrangler = path.join(root, 'node_modules/wrangler/bin/wrangler.js');
const workers = ['router', 'comments', 'views', 'images', 'sync'];
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const host = process.env.HOST ?? '127.0.0.1';
// wrangler takes 9229 for devtools when it looks free, so two edges started at once can both
// pick it and the second fails with "Address already in use"; INSPECTOR_PORT sets it.
const inspectorPort = process.env.INSPECTOR_PORT;
const cronIntervalMs = devCronIntervalMs(process.env);
const routerCrons = configuredCrons(path.join(root, 'workers/router/wrangler.jsonc'));

const migrate = spawnSync(
  process.execPath,
  [
    wrangler,
    'd1',
    'migrations',
    'apply',
    'wp-edge',
    '--local',
    '--persist-to',
    state,
    '--config',
    path.join(root, 'wrangler.toml'),
  ],
  { stdio: 'inherit', env },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn(
  process.execPath,
  [
    wrangler,
    'dev',
    ...workers.flatMap((worker) => [
      '--config',
      path.join(root, 'workers', worker, 'wrangler.jsonc'),
    ]),
    '--ip',
    host,
    '--port',
    port,
    ...(inspectorPort ? ['--inspector-port', inspectorPort] : []),
    '--persist-to',
    state,
    '--show-interactive-dev-session=false',
    '--test-scheduled',
  ],
  { stdio: 'inherit', env },
);
const stopCron = startDevCron(`http://${host}:${port}`, routerCrons, cronIntervalMs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => {
  stopCron();
  process.exit(code ?? 0);
});
