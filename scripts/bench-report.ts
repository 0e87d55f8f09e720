// Prints the figures of the last benchmark run (bench/results.json) with its date, commit
// and machine.
import { figureTable, RESULTS_FILE, readRun } from '@wp-edge/workerd-kit';

const run = await readRun();
if (!run || Object.keys(run.figures).length === 0) {
  process.stderr.write(`no figures in ${RESULTS_FILE}: did a benchmark run?\n`);
  process.exit(1);
}
process.stdout.write(
  `\nwp-edge benchmarks (${RESULTS_FILE})\nrun ${run.startedAt} on ${run.commit}\nmachine ${run.machine}\n\n${figureTable(run.figures)}\n`,
);
