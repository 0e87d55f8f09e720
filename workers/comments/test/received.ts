import { expect, inject } from 'vitest';

/** A request the loopback stand-in recorded (stand-ins.ts). */
export interface Received {
  path: string;
  contentType: string;
  body: string;
}

/** Waits until the stand-in has recorded `count` requests under `path` that `matching` accepts, and returns them. */
export async function receivedAt(
  path: string,
  count: number,
  matching: (received: Received) => boolean = () => true,
): Promise<Received[]> {
  let received: Received[] = [];
  await expect
    .poll(
      async () => {
        const response = await fetch(
          `${inject('webhookBase')}/received?path=${encodeURIComponent(path)}`,
        );
        received = ((await response.json()) as Received[]).filter(matching);
        return received.length;
      },
      { timeout: 20_000, interval: 200 },
    )
    .toBe(count);
  return received;
}
