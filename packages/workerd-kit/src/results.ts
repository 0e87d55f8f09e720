import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One benchmark figure. */
export interface Figure {
  value: number;
  unit: string;
}

/** Where every workspace's figures are collected: name → value and unit. */
export const RESULTS_FILE = path.resolve(import.meta.dirname, '../../../bench/results.json');

/** Reads the collected figures (none if no benchmark has run). */
export async function readFigures(): Promise<Record<string, Figure>> {
  if (!existsSync(RESULTS_FILE)) return {};
  return JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as Record<string, Figure>;
}

/** Adds or replaces figures in bench/results.json, keeping the others. */
export async function recordFigures(figures: Record<string, Figure>): Promise<void> {
  const all = { ...(await readFigures()), ...figures };
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
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
