// Prints the figures every workspace's benchmark wrote to bench/results.json.
import { figureTable, RESULTS_FILE, readFigures } from '@wp-edge/workerd-kit';

const figures = await readFigures();
if (Object.keys(figures).length === 0) {
  process.stderr.write(`no figures in ${RESULTS_FILE}: did a benchmark run?\n`);
  process.exit(1);
}
process.stdout.write(`\nwp-edge benchmarks (${RESULTS_FILE})\n\n${figureTable(figures)}\n`);
