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
 * The post's permalink under WordPress's `permalink_structure`, for the tags that need no
 * other table; anything else is `?p=ID` (or `?page_id=ID`), which WordPress redirects to
 * the pretty address. Top-level pages use their slug.
 */
export function permalink(post: PermalinkPost, structure: string, home: string): string {
  const base = home.replace(/\/+$/, '');
  const plain = `${base}/?${post.type === 'page' ? 'page_id' : 'p'}=${post.id}`;
  if (!structure || !post.name) return plain;
  if (post.type === 'page') return post.parentId ? plain : `${base}/${post.name}/`;
  if (post.type !== 'post') return plain;
  const tags = structure.match(/%[a-z_]+%/g) ?? [];
  if (!tags.every((tag) => SUPPORTED.test(tag))) return plain;
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
