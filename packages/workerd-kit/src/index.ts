export { chromiumLaunch } from './chromium.ts';
export { isolateHeapBytes } from './isolate-heap.ts';
export {
  BenchFailure,
  type LoadOptions,
  type LoadResult,
  measureLoad,
  sendExactly,
} from './load.ts';
export { applyMigrations } from './migrations.ts';
export {
  BENCH_RUN_ENV,
  type BenchRun,
  type Figure,
  figureTable,
  loadFigures,
  RESULTS_FILE,
  readRun,
  recordFigures,
  startRun,
} from './results.ts';
export {
  BARE_WORKER,
  type RunningWorkers,
  runWorkers,
  type SharedOptions,
  withWorkers,
} from './run-workers.ts';
export { writeWordPressConfig } from './wordpress-config.ts';
export {
  bundleWorker,
  type WorkerName,
  workerOptions,
  wranglerConfigPath,
} from './worker-options.ts';
