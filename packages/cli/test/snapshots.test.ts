import { syncGenerationKey, syncManifestDocument } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;

beforeAll(async () => {
  state = await freshState();
  await state.cli('sites', 'add', 'kept', '--host', 'kept.example');
});
afterAll(() => state.cleanup());

const manifest = (generation: string, createdAt: string) => ({
  generation,
  siteId: 'kept',
  nodeId: 'kept-a',
  createdAt,
  commentCursor: 0,
  tables: [
    {
      name: 'posts',
      create: 'CREATE TABLE {{table}} (ID int)',
      rows: 2,
      chunks: [{ sha256: 'a'.repeat(64), size: 100, rows: 2 }],
    },
  ],
  files: [{ path: 'uploads/a.png', size: 20, mode: 0o644, sha256: 'b'.repeat(64) }],
});

describe('wp-edge snapshots list', () => {
  it('lists the site’s kept generations, newest first, with their size', async () => {
    for (const [generation, at] of [
      ['20261201T100000000Z-kept-a', '2026-12-01T10:00:00.000Z'],
      ['20261201T110000000Z-kept-a', '2026-12-01T11:00:00.000Z'],
    ] as const)
      await state.putSync(
        syncGenerationKey('kept', generation),
        syncManifestDocument(manifest(generation, at)),
      );
    const listed = await state.cli('snapshots', 'list', 'kept', '--json');
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        generation: '20261201T110000000Z-kept-a',
        createdAt: '2026-12-01T11:00:00.000Z',
        node: 'kept-a',
        tables: 1,
        files: 1,
        bytes: 120,
      },
      {
        generation: '20261201T100000000Z-kept-a',
        createdAt: '2026-12-01T10:00:00.000Z',
        node: 'kept-a',
        tables: 1,
        files: 1,
        bytes: 120,
      },
    ]);
  });

  it('says so when a site has no generations yet', async () => {
    expect((await state.cli('snapshots', 'list', 'nothing-yet')).stdout).toContain(
      'has no generations yet',
    );
  });
});
