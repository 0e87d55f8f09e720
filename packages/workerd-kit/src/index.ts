export { cacheApiWorker, R2_STREAM_BUCKET, R2_STREAM_WORKER } from './baseline-workers.ts';
export { chromiumLaunch } from './chromium.ts';
export {
  busyMicrosecondsPer,
  busyTimeByModule,
  type CpuProfile,
  profileWhile,
} from './cpu-profile.ts';
export { isolateHeapBytes } from './isolate-heap.ts';
export {
  BenchFailure,
  type LoadOptions,
  type LoadResult,
  measureInTurns,
  measureLoad,
  percentOf,
  type RoundsResult,
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
  turnFigures,
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
