import type { z } from 'zod';
import { readStored, storedDocument } from '../config/stored-format.ts';
import { CommentEvent, EdgeComment, ModerationChange } from './schemas.ts';

/** The format version of the JSON payload of each comment log row (`comment_log.payload`, `v`). */
export const LOG_PAYLOAD_FORMAT = 1;

/** A `moderated` entry's payload: what the owner changed. */
const ModeratedPayload = ModerationChange;
type ModeratedPayload = z.infer<typeof ModeratedPayload>;

/** The payload stored for a new comment: the comment, with its format version. */
export function createdPayload(comment: EdgeComment): EdgeComment & { v: number } {
  return storedDocument(LOG_PAYLOAD_FORMAT, comment);
}

/** The payload stored for a moderation change, with its format version. */
export function moderatedPayload(change: ModeratedPayload): ModeratedPayload & { v: number } {
  return storedDocument(LOG_PAYLOAD_FORMAT, change);
}

/**
 * A comment log row as the event the agents apply; a payload of a format version this code
 * does not know is refused by name (`StoredFormatError`), never guessed at.
 */
export function readLogEntry(
  siteId: string,
  row: { seq: number; type: string; payload: unknown },
): CommentEvent {
  const about = {
    what: `comment log entry ${row.seq} of site ${siteId}`,
    fix: 'deploy the comments Worker that wrote it (this one is older)',
  };
  if (row.type === 'created')
    return {
      seq: row.seq,
      type: 'created',
      comment: readStored(EdgeComment, LOG_PAYLOAD_FORMAT, row.payload, about),
    };
  return CommentEvent.parse({
    seq: row.seq,
    type: 'moderated',
    ...readStored(ModeratedPayload, LOG_PAYLOAD_FORMAT, row.payload, about),
  });
}
