import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { service: 'test' },
    { level, write: (line) => lines.push(JSON.parse(line)) },
  );
  return { lines, logger };
}

describe('structured logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { lines, logger } = capture();
    logger.info('node went down', { nodeId: 'home' });
    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        level: 'info',
        message: 'node went down',
        service: 'test',
        nodeId: 'home',
      },
    ]);
  });

  it('drops lines below its level', () => {
    const { lines, logger } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => line.message)).toEqual(['loud']);
  });

  it('adds a child logger’s fields to every line', () => {
    const { lines, logger } = capture();
    logger.child({ siteId: 'blog' }).error('failed', { error: new Error('boom') });
    expect(lines[0]).toMatchObject({ service: 'test', siteId: 'blog', error: 'boom' });
  });
});
