import { z } from 'zod';
import { SiteConfig } from './site.ts';

/** A single-file setup: the sites and nodes to create or update, for a small deployment. */
export const SeedConfig = z
  .object({ sites: z.array(SiteConfig).min(1, { error: 'the seed file lists no sites' }) })
  .superRefine((seed, ctx) => {
    const seen = new Map<string, string>();
    for (const site of seed.sites) {
      for (const host of site.hosts) {
        const owner = seen.get(host);
        if (owner) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites'],
            message: `host ${host} is claimed by both ${owner} and ${site.id}`,
          });
        }
        seen.set(host, site.id);
      }
    }
  });
export type SeedConfig = z.infer<typeof SeedConfig>;
