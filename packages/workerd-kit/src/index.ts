export { type LoadOptions, type LoadResult, measureLoad, sendExactly } from './load.ts';
export { applyMigrations } from './migrations.ts';
export { type Figure, figureTable, RESULTS_FILE, readFigures, recordFigures } from './results.ts';
export { BARE_WORKER, type RunningWorkers, runWorkers, withWorkers } from './run-workers.ts';
export {
  bundleWorker,
  type WorkerName,
  workerOptions,
  wranglerConfigPath,
} from './worker-options.ts';
