import { describe, expect, it } from 'vitest';
import { type Chunk, rowChunker } from './chunker.ts';

/** A table's rows as the dump gives them: the key, and the row's `(…)` of about `bytes`. */
function table(rows: number, bytes: number, edited?: number): [string, string][] {
  return Array.from({ length: rows }, (_, i) => {
    const key = String(i + 1);
    const text = `${i === edited ? 'edited ' : ''}${'lorem ipsum '.repeat(bytes / 12)}`;
    return [key, `(${key},'${text}')`];
  });
}

async function chunks(rows: [string, string][]): Promise<Chunk[]> {
  const cut: Chunk[] = [];
  const chunker = rowChunker(async (chunk) => {
    cut.push(chunk);
  });
  for (const [key, values] of rows) await chunker.add(key, values);
  await chunker.end();
  return cut;
}

describe('cutting a table into chunks', () => {
  it('a one-row edit in a table of posts-sized rows changes at most 2 % of its bytes', async () => {
    const before = await chunks(table(10_000, 2_000));
    const known = new Set(before.map((chunk) => chunk.sha256));
    const total = before.reduce((sum, chunk) => sum + chunk.bytes.length, 0);
    for (let edited = 37; edited < 10_000; edited += 797) {
      const changed = (await chunks(table(10_000, 2_000, edited))).filter(
        (chunk) => !known.has(chunk.sha256),
      );
      expect(changed.length).toBeLessThanOrEqual(2);
      const bytes = changed.reduce((sum, chunk) => sum + chunk.bytes.length, 0);
      expect(bytes / total, `row ${edited}`).toBeLessThan(0.02);
    }
  });

  it('cuts chunks of about 80 KB, never under 16 KB but the last, whether rows are small or posts', async () => {
    for (const [rows, bytes] of [
      [50_000, 100],
      [20_000, 2_000],
    ] as const) {
      const cut = await chunks(table(rows, bytes));
      for (const chunk of cut.slice(0, -1))
        expect(chunk.bytes.length).toBeGreaterThanOrEqual(16_384);
      const mean = cut.reduce((sum, chunk) => sum + chunk.bytes.length, 0) / cut.length;
      expect(mean, `rows of ${bytes} bytes`).toBeGreaterThan(60_000);
      expect(mean, `rows of ${bytes} bytes`).toBeLessThan(100_000);
    }
  });
});
