import type { ManifestImage } from '@wp-edge/core';

/** An index in [0, n) from a source of random 32-bit numbers, without modulo bias. */
export function randomIndex(n: number, random32: () => number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  let value = random32();
  while (value >= limit) value = random32();
  return value % n;
}

export const cryptoRandom32 = () => crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;

async function seedIndex(seed: string, n: number): Promise<number> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed)),
  );
  const value = new DataView(digest.buffer).getUint32(0);
  return value % n;
}

/**
 * One image of the pool: the seed's own (the same while the pool is unchanged), or a fair
 * random one that is not the one this visitor got last time (when there is another).
 */
export async function pickImage(
  pool: ManifestImage[],
  options: { seed?: string; lastId?: string; random32?: () => number },
): Promise<ManifestImage> {
  if (options.seed !== undefined)
    return pool[await seedIndex(options.seed, pool.length)] as ManifestImage;
  const random32 = options.random32 ?? cryptoRandom32;
  // Drawing again when the draw is the visitor's last image is fair among the others, and
  // needs no search of the pool: with two images or more, two draws suffice on average.
  for (;;) {
    const drawn = pool[randomIndex(pool.length, random32)] as ManifestImage;
    if (pool.length === 1 || drawn.id !== options.lastId) return drawn;
  }
}
