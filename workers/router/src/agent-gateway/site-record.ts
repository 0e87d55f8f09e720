import { SiteSettings, TtlCache } from '@wp-edge/core';
import { siteHosts, sites } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';

/** What the gateway needs of a caller's site: its host names and settings. */
export interface SiteRecord {
  hosts: string[];
  settings: SiteSettings;
}

// Owned by `siteRecord`: a site's record, kept briefly so heartbeats and acknowledgements do
// not read D1 each time; a settings change reaches the gateway within seconds.
const records = new TtlCache<SiteRecord>(5_000, 1_000);

/** The site's hosts and settings, from D1 at most every few seconds per isolate. */
export async function siteRecord(db: D1Database, siteId: string): Promise<SiteRecord> {
  const nowMs = Date.now();
  const cached = records.get(siteId, nowMs);
  if (cached) return cached.value;
  const orm = drizzle(db);
  const [rows, hosts] = await orm.batch([
    orm.select({ settings: sites.settings }).from(sites).where(eq(sites.id, siteId)),
    orm.select({ host: siteHosts.host }).from(siteHosts).where(eq(siteHosts.siteId, siteId)),
  ]);
  const record = {
    hosts: hosts.map((row) => row.host),
    settings: SiteSettings.parse(rows[0]?.settings ?? {}),
  };
  records.set(siteId, record, nowMs);
  return record;
}
