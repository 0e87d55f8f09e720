// `npm run bench`: starts a fresh bench/results.json stamped with the date, commit and
// machine, runs every workspace's benchmark into it (one at a time: they take the machine),
// and prints the figures. A benchmark whose requests failed exits non-zero, and so does this.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BENCH_RUN_ENV, startRun } from '@wp-edge/workerd-kit';

const root = path.resolve(import.meta.dirname, '..');
const run = await startRun();
const turbo = spawnSync('npx', ['turbo', 'run', 'bench', '--concurrency=1'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, [BENCH_RUN_ENV]: run.id },
});
if (turbo.status !== 0) {
  process.stderr.write(
    'a benchmark failed (see its message above); bench/results.json holds only the figures of those that passed\n',
  );
  process.exit(turbo.status ?? 1);
}
const report = spawnSync(process.execPath, [path.join(root, 'scripts/bench-report.ts')], {
  stdio: 'inherit',
});
process.exit(report.status ?? 1);
