import type { LocalImage } from './local-images.ts';

/** What `images sync` reports as it goes. */
export type SyncEvent =
  | { kind: 'start'; total: number; uploads: number; bytes: number }
  | { kind: 'uploaded'; image: LocalImage; index: number; done: number; total: number }
  | { kind: 'removed'; category: string; name: string }
  | { kind: 'end' };

// A terminal's line is redrawn at most this often, so a fast sync does not flood it.
const REDRAW_MS = 100;

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * Prints a sync's events: on a terminal, one status line redrawn in place (files, bytes,
 * time); elsewhere (a pipe, a log, a test) one plain line per upload and removal.
 */
export function syncProgress(
  write: (text: string) => void,
  terminal: boolean,
): (event: SyncEvent) => void {
  if (!terminal)
    return (event) => {
      if (event.kind === 'uploaded') {
        const { image, index, done, total } = event;
        write(
          `[${index + 1}/${total}] ${image.category}/${image.name} uploaded (${image.width}×${image.height}); ${done} of ${total} done\n`,
        );
      } else if (event.kind === 'removed') write(`removed ${event.category}/${event.name}\n`);
    };
  const started = performance.now();
  let uploads = 0;
  let bytes = 0;
  let sent = 0;
  let uploaded = 0;
  let drawn = 0;
  let shown = false;
  const draw = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    write(
      `\r\x1b[2Kuploading ${uploaded}/${uploads} images, ${megabytes(sent)} of ${megabytes(bytes)}, ${seconds} s`,
    );
    drawn = performance.now();
    shown = true;
  };
  return (event) => {
    if (event.kind === 'start') {
      ({ uploads, bytes } = event);
      if (uploads > 0) draw();
    } else if (event.kind === 'uploaded') {
      uploaded++;
      sent += event.image.size;
      if (uploaded === uploads || performance.now() - drawn >= REDRAW_MS) draw();
    } else if (event.kind === 'removed') {
      write(`${shown ? '\r\x1b[2K' : ''}removed ${event.category}/${event.name}\n`);
      shown = false;
    } else if (shown) {
      write('\n');
      shown = false;
    }
  };
}
