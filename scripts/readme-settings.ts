// Writes the README's table of site settings and their defaults from the schema
// (packages/core/src/config/site.ts): `npm run docs:settings`. test/readme.test.ts fails
// when the README's table differs from what the schema gives.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { settingsTable } from '@wp-edge/core';

export const README_FILE = path.resolve(import.meta.dirname, '../README.md');
const START =
  '<!-- site-settings: generated from packages/core/src/config/site.ts by `npm run docs:settings` -->';
const END = '<!-- /site-settings -->';

function markers(readme: string): { start: number; end: number } {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return { start: start + START.length, end };
}

/** The README's settings table, between its markers. */
export function settingsBlockOf(readme: string): string {
  const { start, end } = markers(readme);
  return readme.slice(start, end).trim();
}

/** The README with its settings table replaced by the one the schema gives. */
export function withSettingsTable(readme: string): string {
  const { start, end } = markers(readme);
  return `${readme.slice(0, start)}\n\n${settingsTable()}\n\n${readme.slice(end)}`;
}

if (import.meta.main) {
  const readme = await readFile(README_FILE, 'utf8');
  await writeFile(README_FILE, withSettingsTable(readme));
}
