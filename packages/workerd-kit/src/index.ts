export {
  bundleWorker,
  type WorkerName,
  workerOptions,
  wranglerConfigPath,
} from './worker-options.ts';
