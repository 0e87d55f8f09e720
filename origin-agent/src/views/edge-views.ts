import { z } from 'zod';

const Counts = z.object({
  posts: z.record(z.string(), z.object({ views: z.number().int().min(0) })),
});

/** Reads the edge's view counts of up to 100 posts from the views API. */
export async function fetchViewCounts(
  edgeUrl: string,
  postIds: number[],
): Promise<Map<number, number>> {
  const url = new URL(`/api/views?posts=${postIds.join(',')}`, edgeUrl);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(
      `the edge answered ${response.status} to ${url.pathname}: ${(await response.text()).slice(0, 200)}`,
    );
  }
  const counts = Counts.parse(await response.json());
  return new Map(Object.entries(counts.posts).map(([id, count]) => [Number(id), count.views]));
}
