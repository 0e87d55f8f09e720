// `npm run bench` in this workspace: both benchmarks, their figures in one run of
// bench/results.json (under the root's `npm run bench`, in the run it started).
import { BENCH_RUN_ENV, startRun } from '@wp-edge/workerd-kit';

process.env[BENCH_RUN_ENV] ??= (await startRun()).id;
await import('./comments.ts');
await import('./storage.ts');
