import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One benchmark figure. */
export interface Figure {
  value: number;
  unit: string;
}

/**
 * The figures of one measured load, named `<name>.…`: its throughput (in `unit`), that as a
 * percentage of the bare Worker's measured in the same run, and its p50 and p99 latency.
 * @example
 * await recordFigures({ ...loadFigures('views.increments', load, baseline) });
 */
export function loadFigures(
  name: string,
  load: { requestsPerSecond: number; p50Ms: number; p99Ms: number },
  baseline: { requestsPerSecond: number },
  unit = 'req/s',
): Record<string, Figure> {
  return {
    [`${name}.throughput`]: { value: Math.round(load.requestsPerSecond), unit },
    [`${name}.vs-bare`]: {
      value: (100 * load.requestsPerSecond) / baseline.requestsPerSecond,
      unit: '%',
    },
    [`${name}.latency-p50`]: { value: load.p50Ms, unit: 'ms' },
    [`${name}.latency-p99`]: { value: load.p99Ms, unit: 'ms' },
  };
}

/**
 * The figures of a load measured in turns with its baseline (`measureInTurns`), named
 * `<name>.…`: its throughput (in `unit`), `<name>.<versus>` (`percent`, in %), and its p50 and
 * p99 latency.
 * @example
 * await recordFigures(turnFigures('router.cache-hit', hits, percentOf(hits, bare), 'vs-cache-api'));
 */
export function turnFigures(
  name: string,
  load: { requestsPerSecond: number; p50Ms: number; p99Ms: number },
  percent: number,
  versus = 'vs-bare',
  unit = 'req/s',
): Record<string, Figure> {
  return {
    [`${name}.throughput`]: { value: Math.round(load.requestsPerSecond), unit },
    [`${name}.${versus}`]: { value: percent, unit: '%' },
    [`${name}.latency-p50`]: { value: load.p50Ms, unit: 'ms' },
    [`${name}.latency-p99`]: { value: load.p99Ms, unit: 'ms' },
  };
}

/** One run of the benchmarks: when, on which commit and machine, and the figures it measured. */
export interface BenchRun {
  id: string;
  startedAt: string;
  commit: string;
  machine: string;
  figures: Record<string, Figure>;
}

/** Where the figures of the last run are collected. */
export const RESULTS_FILE = path.resolve(import.meta.dirname, '../../../bench/results.json');

/**
 * Set by `npm run bench` (scripts/bench.ts) for every workspace's benchmark: the id of the run
 * they add their figures to. A benchmark run alone starts a run of its own.
 */
export const BENCH_RUN_ENV = 'WP_EDGE_BENCH_RUN';

function commit(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: path.dirname(RESULTS_FILE), encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', 'HEAD')}${git('status', '--porcelain') === '' ? '' : ' (with uncommitted changes)'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Reads the last run (undefined if no benchmark has run). */
export async function readRun(): Promise<BenchRun | undefined> {
  if (!existsSync(RESULTS_FILE)) return undefined;
  const run = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as Partial<BenchRun>;
  return run.id && run.figures ? (run as BenchRun) : undefined;
}

async function writeRun(run: BenchRun): Promise<void> {
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(run, null, 2)}\n`);
}

/** Replaces bench/results.json with an empty run stamped with the date, commit and machine. */
export async function startRun(): Promise<BenchRun> {
  const startedAt = new Date().toISOString();
  const run = { id: startedAt, startedAt, commit: commit(), machine: machine(), figures: {} };
  await writeRun(run);
  return run;
}

/**
 * Adds figures to the run `WP_EDGE_BENCH_RUN` names; outside `npm run bench`, or when the
 * file holds another run, starts a fresh one, so no figure of an earlier run survives.
 */
export async function recordFigures(figures: Record<string, Figure>): Promise<void> {
  const current = await readRun();
  const run = current && current.id === process.env[BENCH_RUN_ENV] ? current : await startRun();
  const all = { ...run.figures, ...figures };
  run.figures = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  await writeRun(run);
}

/** Figures as an aligned table. */
export function figureTable(figures: Record<string, Figure>): string {
  const rows = Object.entries(figures).map(([name, { value, unit }]) => [
    name,
    value.toLocaleString('en-US', { maximumFractionDigits: 2 }),
    unit,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0), 6));
  return rows
    .map(([name = '', value = '', unit = '']) =>
      [name.padEnd(widths[0] ?? 0), value.padStart(widths[1] ?? 0), unit].join('  '),
    )
    .join('\n');
}
