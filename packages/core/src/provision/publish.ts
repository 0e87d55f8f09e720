import { type SiteSnapshot, snapshotDocument, snapshotKey } from '../config/snapshot.ts';
import { readSites } from './read-sites.ts';
import { ProvisionError, type ProvisionStore } from './store.ts';

/** Publishes each site's snapshot under each of its hosts, and withdraws hosts no longer served. */
export async function publishSnapshots(
  store: ProvisionStore,
  snapshots: SiteSnapshot[],
  goneHosts: string[] = [],
): Promise<void> {
  const served = new Set(snapshots.flatMap((site) => site.hosts));
  await Promise.all([
    ...snapshots.flatMap((site) =>
      site.hosts.map((host) => store.kv.put(snapshotKey(host), snapshotDocument(site))),
    ),
    ...goneHosts
      .filter((host) => !served.has(host))
      .map((host) => store.kv.delete(snapshotKey(host))),
  ]);
}

/** Publishes the snapshots of one site, or of every site, from D1 again. */
export async function republish(
  store: ProvisionStore,
  siteId: string | undefined,
): Promise<SiteSnapshot[]> {
  const snapshots = await readSites(store.db, siteId ? [siteId] : 'all');
  if (siteId && snapshots.length === 0) throw new ProvisionError(`there is no site ${siteId}`);
  await publishSnapshots(store, snapshots);
  return snapshots;
}
