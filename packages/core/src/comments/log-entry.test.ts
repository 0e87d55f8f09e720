import { describe, expect, it } from 'vitest';
import { StoredFormatError } from '../config/stored-format.ts';
import { createdPayload, moderatedPayload, readLogEntry } from './log-entry.ts';

const comment = {
  id: '01JCOMMENT',
  postId: 1,
  parentWpId: 0,
  author: 'Ann',
  authorEmail: 'ann@example.com',
  authorUrl: '',
  content: 'Hello',
  authorIp: '198.51.100.1',
  userAgent: 'test',
  status: 'approved' as const,
  createdAt: '2026-12-01T00:00:00.000Z',
};

describe('comment log payloads', () => {
  it('reads back the events it writes, without the version field', () => {
    expect(
      readLogEntry('blog', { seq: 1, type: 'created', payload: createdPayload(comment) }),
    ).toEqual({
      seq: 1,
      type: 'created',
      comment,
    });
    const change = { commentId: comment.id, status: 'spam' as const, at: comment.createdAt };
    expect(
      readLogEntry('blog', { seq: 2, type: 'moderated', payload: moderatedPayload(change) }),
    ).toEqual({ seq: 2, type: 'moderated', ...change });
  });

  it('reads a payload written before it had a version as version 1', () => {
    expect(readLogEntry('blog', { seq: 3, type: 'created', payload: comment })).toMatchObject({
      comment,
    });
  });

  it('refuses a payload of another version, naming the entry, the version and the fix', () => {
    expect(() =>
      readLogEntry('blog', { seq: 4, type: 'moderated', payload: { v: 2, commentId: 'x' } }),
    ).toThrow(
      new StoredFormatError(
        'comment log entry 4 of site blog is in format version 2, but this code reads version 1; deploy the comments Worker that wrote it (this one is older)',
      ),
    );
  });
});
