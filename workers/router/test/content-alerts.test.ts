import { describe, expect, inject, it } from 'vitest';
import { deliver, received } from './alert-deliveries.ts';
import { heartbeat, registry, signedSite } from './heartbeats.ts';

const HOUR_MS = 3_600_000;

/** The id of a generation the primary `<site>-a` dumped `agoMs` ago. */
const generation = (site: string, agoMs: number) =>
  `${new Date(Date.now() - agoMs).toISOString().replace(/[-:.]/g, '')}-${site}-a`;

/** A site whose alerts go to a Slack-style webhook at `/hooks/<id>/` (its `text` is what people read). */
async function site(id: string) {
  const hooks = `${inject('receiverBase')}/hooks/${id}/`;
  const json = `${inject('receiverBase')}/json/${id}/`;
  return signedSite(id, {
    comments: { webhooks: [{ url: hooks, format: 'slack' }, { url: json }] },
  });
}

const texts = async (id: string) =>
  (await received(`/hooks/${id}/`)).map((hook) => String(hook.text));
const events = async (id: string) =>
  (await received(`/json/${id}/`)).map((hook) => String(hook.event));

describe('alerts of the content sync', () => {
  it('tells once when a node falls behind the primary’s content, by how much, and once when it catches up', async () => {
    const { host, a, b } = await site('behind');
    const old = generation('behind', 3 * HOUR_MS);
    const newest = generation('behind', HOUR_MS);
    await heartbeat(host, b.id, { contentGeneration: old });
    await heartbeat(host, a.id, { contentGeneration: newest });
    await deliver('behind');
    await heartbeat(host, b.id, { contentGeneration: old });
    await deliver('behind');
    expect(await texts('behind')).toEqual([
      `wp-edge: node behind-b of behind has fallen behind the primary’s content: it serves generation ${old}, 2 h older than the primary’s ${newest}, and newer content has waited 60 min for it (sync.maxStalenessSeconds is 300). Readers are kept off it while a fresher node is up. Look at the agent’s log on the node (journalctl -u wp-edge-agent); wp-edge-agent restore there imports the newest generation by hand.`,
    ]);
    await heartbeat(host, b.id, { contentGeneration: newest });
    await deliver('behind');
    await heartbeat(host, b.id, { contentGeneration: newest });
    await deliver('behind');
    expect(await events('behind')).toEqual(['content.behind', 'content.caught-up']);
    expect((await texts('behind'))[1]).toMatch(
      /^wp-edge: node behind-b of behind has caught up with the primary’s content \(behind since .+\)\.$/,
    );
  });

  it('tells nothing while the nodes import what the primary has just published after a quiet week', async () => {
    const { host, a, b } = await site('quiet-week');
    const lastWeek = generation('quiet-week', 7 * 24 * HOUR_MS);
    await heartbeat(host, b.id, { contentGeneration: lastWeek });
    await heartbeat(host, a.id, { contentGeneration: lastWeek });
    await heartbeat(host, a.id, { contentGeneration: generation('quiet-week', 1000) });
    await heartbeat(host, b.id, { contentGeneration: lastWeek });
    await deliver('quiet-week');
    expect(await events('quiet-week')).toEqual([]);
  });

  it('tells once when a node’s sync fails, with what failed, and once when a later sync succeeds', async () => {
    const { host, b } = await site('failing-sync');
    const syncFailure = {
      at: new Date().toISOString(),
      error: `blob ${'e'.repeat(64)} from the edge is corrupt (8 bytes hashing to ${'f'.repeat(64)}, expected 512 bytes): refused, nothing of this generation was applied`,
    };
    await heartbeat(host, b.id, { syncFailure });
    await deliver('failing-sync');
    await heartbeat(host, b.id, { syncFailure: { ...syncFailure, at: new Date().toISOString() } });
    await deliver('failing-sync');
    expect(await texts('failing-sync')).toEqual([
      `wp-edge: the content sync of node failing-sync-b of failing-sync is failing: importing the newest generation failed; it goes on serving the content it had (at ${syncFailure.at}: ${syncFailure.error}). The agent tries again by itself; the agent’s log on the node (journalctl -u wp-edge-agent) says more.`,
    ]);
    await heartbeat(host, b.id);
    await deliver('failing-sync');
    expect(await events('failing-sync')).toEqual(['sync.failed', 'sync.recovered']);
  });

  it('tells of a failing publish on the primary as such', async () => {
    const { host, a } = await site('failing-publish');
    await heartbeat(host, a.id, {
      syncFailure: { at: new Date().toISOString(), error: 'the edge answered 507' },
    });
    await deliver('failing-publish');
    expect(await received('/json/failing-publish/')).toEqual([
      expect.objectContaining({
        event: 'sync.failed',
        node: a.id,
        detail: expect.stringMatching(
          /^publishing a generation failed, so the other nodes get no newer content \(at .+: the edge answered 507\)$/,
        ),
      }),
    ]);
  });

  it('tells once of a node’s own edits kept before an import, naming the node and the folder, at no later heartbeat', async () => {
    const { host, b } = await site('kept-edits');
    const replacedGeneration = generation('kept-edits', HOUR_MS);
    const keptEdits = { snapshot: '2026-12-02T031500123Z', editedPosts: 2, replacedGeneration };
    await heartbeat(host, b.id, { keptEdits });
    await deliver('kept-edits');
    await heartbeat(host, b.id, { keptEdits });
    await heartbeat(host, b.id);
    await heartbeat(host, b.id, { keptEdits });
    await deliver('kept-edits');
    expect(await texts('kept-edits')).toEqual([
      `wp-edge: node kept-edits-b of kept-edits had 2 posts edited on it after generation ${replacedGeneration}; its database as it was is kept in wp-content/.wp-edge-kept/2026-12-02T031500123Z/ on that node, before the primary’s content replaced it. Those edits are no longer served: carry them to the primary (the folder’s manifest.json lists each table, its CREATE TABLE and the files holding its rows).`,
    ]);
    await heartbeat(host, b.id, { keptEdits: { ...keptEdits, snapshot: '2026-12-02T041500123Z' } });
    await deliver('kept-edits');
    expect(await events('kept-edits')).toEqual(['edits.kept', 'edits.kept']);
    expect((await registry('kept-edits').status(0)).alerts).toEqual([
      expect.objectContaining({ kind: 'edits-kept', nodeId: b.id, closedAt: expect.any(String) }),
      expect.objectContaining({ kind: 'edits-kept', nodeId: b.id, closedAt: expect.any(String) }),
    ]);
  });
});
