import { z } from 'zod';

const PostId = z.coerce
  .number({ error: 'post ids must be whole numbers' })
  .int({ error: 'post ids must be whole numbers' })
  .positive({ error: 'post ids must be positive' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'post id is too large' });

const PagePath = z
  .string()
  .min(1)
  .max(512, { error: 'path must be at most 512 characters' })
  .startsWith('/', { error: 'path must start with /' })
  .transform((path) => path.replace(/[?#].*$/, ''));

/** What the client script sends for one page load: the post, or the path of a page that is not a post. */
export const Beacon = z
  .object({ postId: PostId.optional(), path: PagePath.optional() })
  .refine((beacon) => beacon.postId !== undefined || beacon.path !== undefined, {
    error: 'send a postId (a positive whole number) or a path starting with /',
  });
export type Beacon = z.infer<typeof Beacon>;

/** The pixel's query: `?post=ID` or `?path=/page/`. */
export const PixelQuery = z
  .object({ post: PostId.optional(), path: PagePath.optional() })
  .refine((query) => query.post !== undefined || query.path !== undefined, {
    error: 'add ?post=ID or ?path=/page/ to the pixel URL',
  });

export const MAX_IDS = 100;

const commaList = z.string().transform((value) => value.split(',').filter(Boolean));

const PostIdText = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, { error: 'post ids must be positive whole numbers' })
  .transform(Number);

const PostIdList = commaList.pipe(
  z.array(PostIdText).max(MAX_IDS, { error: `ask for at most ${MAX_IDS} posts at a time` }),
);
const PathList = commaList.pipe(
  z.array(PagePath).max(MAX_IDS, { error: `ask for at most ${MAX_IDS} paths at a time` }),
);

/** `?posts=1,2,3` and/or `?paths=/a/,/b/`: the counts to read. */
export const CountsQuery = z
  .object({ posts: PostIdList.optional(), paths: PathList.optional() })
  .refine((query) => (query.posts?.length ?? 0) + (query.paths?.length ?? 0) > 0, {
    error: 'ask for ?posts=1,2,3 (post ids) or ?paths=/a/,/b/',
  })
  .refine((query) => (query.posts?.length ?? 0) + (query.paths?.length ?? 0) <= MAX_IDS, {
    error: `ask for at most ${MAX_IDS} posts and paths at a time`,
  });

/** `?days=7&limit=10` for the most viewed posts. */
export const TopQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1, { error: 'days must be between 1 and 90' })
    .max(90, { error: 'days must be between 1 and 90' })
    .default(7),
  limit: z.coerce
    .number()
    .int()
    .min(1, { error: 'limit must be between 1 and 100' })
    .max(100, { error: 'limit must be between 1 and 100' })
    .default(10),
});

/** A page a view is of: a post by id, or another page by its path. */
export interface Page {
  postId?: number | undefined;
  path?: string | undefined;
}

/** The key a page's counts are kept under. */
export function pageKey(page: Page): string {
  return page.postId !== undefined ? `post:${page.postId}` : (page.path ?? '/');
}
