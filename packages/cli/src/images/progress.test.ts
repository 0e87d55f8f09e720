import { describe, expect, it } from 'vitest';
import type { LocalImage } from './local-images.ts';
import { syncProgress } from './progress.ts';

const image = (name: string): LocalImage => ({
  file: `/images/landscape/${name}`,
  name,
  category: 'landscape',
  sha256: '0'.repeat(64),
  width: 1600,
  height: 900,
  size: 2_500_000,
  contentType: 'image/png',
});

function printed(terminal: boolean, run: (progress: ReturnType<typeof syncProgress>) => void) {
  let text = '';
  run(
    syncProgress((chunk) => {
      text += chunk;
    }, terminal),
  );
  return text;
}

describe('sync progress', () => {
  it('prints one plain line per upload and removal when not on a terminal', () => {
    const text = printed(false, (progress) => {
      progress({ kind: 'start', total: 3, uploads: 2, bytes: 5_000_000 });
      progress({ kind: 'uploaded', image: image('b.png'), index: 1, done: 2, total: 3 });
      progress({ kind: 'uploaded', image: image('a.png'), index: 0, done: 3, total: 3 });
      progress({ kind: 'end' });
      progress({ kind: 'removed', category: 'landscape', name: 'old.png' });
    });
    expect(text).toBe(
      [
        '[2/3] landscape/b.png uploaded (1600×900); 2 of 3 done',
        '[1/3] landscape/a.png uploaded (1600×900); 3 of 3 done',
        'removed landscape/old.png',
        '',
      ].join('\n'),
    );
  });

  it('redraws one status line in place on a terminal, and ends it with a newline', () => {
    const text = printed(true, (progress) => {
      progress({ kind: 'start', total: 3, uploads: 2, bytes: 5_000_000 });
      progress({ kind: 'uploaded', image: image('b.png'), index: 1, done: 2, total: 3 });
      progress({ kind: 'uploaded', image: image('a.png'), index: 0, done: 3, total: 3 });
      progress({ kind: 'end' });
    });
    const lines = text.split('\r\x1b[2K').filter(Boolean);
    expect(lines[0]).toMatch(/^uploading 0\/2 images, 0\.0 MB of 5\.0 MB, \d+\.\d s$/);
    expect(lines.at(-1)).toMatch(/^uploading 2\/2 images, 5\.0 MB of 5\.0 MB, \d+\.\d s\n$/);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('prints nothing on a terminal when there is nothing to upload', () => {
    const text = printed(true, (progress) => {
      progress({ kind: 'start', total: 3, uploads: 0, bytes: 0 });
      progress({ kind: 'end' });
    });
    expect(text).toBe('');
  });
});
