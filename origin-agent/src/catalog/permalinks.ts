import type { RowDataPacket } from 'mysql2/promise';

/** A post as the permalink needs it. */
export interface PermalinkPost {
  id: number;
  type: string;
  name: string;
  date: Date;
  parentId: number;
}

const SUPPORTED = /^%(year|monthnum|day|hour|minute|second|postname|post_id)%$/;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The post's pretty permalink under WordPress's `permalink_structure`, for the tags that need
 * no other table (top-level pages use their slug); undefined where WordPress's address takes
 * more than that, or where it is plain (no structure, no slug).
 */
export function prettyPermalink(
  post: PermalinkPost,
  structure: string,
  home: string,
): string | undefined {
  const base = home.replace(/\/+$/, '');
  if (!structure || !post.name) return undefined;
  if (post.type === 'page') return post.parentId ? undefined : `${base}/${post.name}/`;
  if (post.type !== 'post') return undefined;
  const tags = structure.match(/%[a-z_]+%/g) ?? [];
  if (!tags.every((tag) => SUPPORTED.test(tag))) return undefined;
  const d = post.date;
  const values: Record<string, string> = {
    '%year%': String(d.getUTCFullYear()),
    '%monthnum%': two(d.getUTCMonth() + 1),
    '%day%': two(d.getUTCDate()),
    '%hour%': two(d.getUTCHours()),
    '%minute%': two(d.getUTCMinutes()),
    '%second%': two(d.getUTCSeconds()),
    '%postname%': post.name,
    '%post_id%': String(post.id),
  };
  return `${base}${structure.replace(/%[a-z_]+%/g, (tag) => values[tag] ?? tag)}`;
}

/** The post's plain address (`?p=ID`, `?page_id=ID`), which WordPress answers under any structure. */
export function plainPermalink(post: Pick<PermalinkPost, 'id' | 'type'>, home: string): string {
  return `${home.replace(/\/+$/, '')}/?${post.type === 'page' ? 'page_id' : 'p'}=${post.id}`;
}

/**
 * The post's permalink: the pretty one where `prettyPermalink` knows it, otherwise `?p=ID`
 * (or `?page_id=ID`), which WordPress redirects to the pretty address.
 */
export function permalink(post: PermalinkPost, structure: string, home: string): string {
  return prettyPermalink(post, structure, home) ?? plainPermalink(post, home);
}

/**
 * Every address WordPress serves a post's page at, so every one the edge may hold a copy
 * under: the permalink and, when it is pretty, the plain `?p=ID` too (WordPress's shortlink,
 * which it answers as the page itself).
 */
export function pageAddresses(post: PermalinkPost, structure: string, home: string): string[] {
  const plain = plainPermalink(post, home);
  const pretty = prettyPermalink(post, structure, home);
  return pretty ? [pretty, plain] : [plain];
}

// What a post's permalink is made of. WordPress dates permalinks by `post_date`, the site's
// local time, read here as text so no driver or machine time zone can shift it.
export const permalinkColumns = (table = '') =>
  `${table}ID, ${table}post_type, ${table}post_name, ${table}post_parent, DATE_FORMAT(${table}post_date, '%Y-%m-%dT%H:%i:%sZ') AS post_date_text`;

/** A `wp_posts` row selected with `permalinkColumns`, as the permalink needs it. */
export function rowPost(row: RowDataPacket): PermalinkPost {
  return {
    id: Number(row.ID),
    type: String(row.post_type),
    name: String(row.post_name),
    date: new Date(String(row.post_date_text)),
    parentId: Number(row.post_parent),
  };
}

/** The permalink of a `wp_posts` row selected with `permalinkColumns`. */
export function rowPermalink(row: RowDataPacket, structure: string, home: string): string {
  return permalink(rowPost(row), structure, home);
}
