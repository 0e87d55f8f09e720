import path from 'node:path';
import { build } from 'esbuild';
import type { LegacyWorkerOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from 'wrangler';

/** The repository's Workers, by folder name under `workers/`. */
export type WorkerName = 'router' | 'comments' | 'views' | 'images' | 'sync';

const workersDir = path.resolve(import.meta.dirname, '../../../workers');

/** The wrangler config of one of the repository's Workers. */
export function wranglerConfigPath(worker: WorkerName): string {
  return path.join(workersDir, worker, 'wrangler.jsonc');
}

/** Bundles a Worker's TypeScript entry into one ES module, as wrangler would. */
export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  return output.text;
}

/**
 * Miniflare options for one of the repository's Workers, with the bindings of its
 * wrangler config and its code bundled from source.
 * @example
 * new Miniflare({ workers: [await workerOptions('router'), await workerOptions('views')] })
 */
export async function workerOptions(worker: WorkerName): Promise<LegacyWorkerOptions> {
  const config = unstable_readConfig({ config: wranglerConfigPath(worker) });
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(config);
  // The code arrives bundled as one module, so wrangler's module rules have nothing to do.
  const { modulesRules: _rules, ...bindings } = workerOptions;
  const entry = main ?? path.join(workersDir, worker, 'src/index.ts');
  return {
    ...bindings,
    name: config.name ?? `wp-edge-${worker}`,
    modules: true,
    script: await bundleWorker(entry),
  } as LegacyWorkerOptions;
}
