import { readFile } from 'node:fs/promises';
import { SeedConfig } from '@wp-edge/core';
import { CliError } from './errors.ts';

/** Reads and validates a seed file, naming the file in every error. */
export async function readSeed(file: string): Promise<SeedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read seed file ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return SeedConfig.parse(json);
}
