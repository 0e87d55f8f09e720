import { execFileSync } from 'node:child_process';

/**
 * The resident memory (MiB) of the workerd processes this process started (Miniflare runs
 * every Worker of a run, with its local D1, KV and Durable Objects, in one of them).
 */
export function workerdMemoryMiB(): number {
  const children = execFileSync('ps', ['-o', 'rss=,comm=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });
  const kib = children
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command === 'workerd')
    .reduce((sum, [rss]) => sum + Number(rss), 0);
  if (kib === 0) throw new Error('no workerd process of this run was found');
  return kib / 1024;
}
