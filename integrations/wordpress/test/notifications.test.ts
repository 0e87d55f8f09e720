import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeComment } from './support/edge-comment.ts';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

let primary: WordPressSite;
let secondary: WordPressSite;

beforeAll(async () => {
  [primary, secondary] = await Promise.all([
    // Cron runs only when a test runs it, as with a system cron (`php wp-cron.php`), not from page loads.
    startWordPressSite({
      address: '127.0.0.101',
      constants: { WP_EDGE_ROLE: 'primary', DISABLE_WP_CRON: true },
    }),
    startWordPressSite({
      address: '127.0.0.102',
      constants: { WP_EDGE_ROLE: 'secondary', DISABLE_WP_CRON: true },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([primary?.stop(), secondary?.stop()]);
});

const scan = (site: WordPressSite) => site.cli('echo wp_edge_notify_scan();');
const subjectsAbout = async (site: WordPressSite, content: string) =>
  (await site.mails())
    .filter((mail) => mail.includes(content))
    .map((mail) => /^Subject: (.*)$/m.exec(mail)?.[1] ?? '');
const setOptions = (site: WordPressSite, moderation: string, comments: string) =>
  site.cli(
    `update_option('moderation_notify', '${moderation}'); update_option('comments_notify', '${comments}');`,
  );

describe('WordPress’s comment mails for edge comments', () => {
  it('sends the moderator WordPress’s "Please moderate" mail for a held edge comment, once', async () => {
    await setOptions(primary, '1', '1');
    await applyEdgeComment(primary.db, { edgeId: 'E-held-1', content: 'held one', approved: '0' });
    await scan(primary);
    await scan(primary);
    expect(await subjectsAbout(primary, 'held one')).toEqual([
      '[Plugin test] Please moderate: "Hello world!"',
    ]);
  });

  it('sends the post author WordPress’s "Comment" mail for an approved edge comment, once', async () => {
    await setOptions(primary, '1', '1');
    await applyEdgeComment(primary.db, {
      edgeId: 'E-ok-1',
      content: 'approved one',
      approved: '1',
    });
    await scan(primary);
    await scan(primary);
    expect(await subjectsAbout(primary, 'approved one')).toEqual([
      '[Plugin test] Comment: "Hello world!"',
    ]);
  });

  it('sends nothing when the Discussion settings turn both mails off', async () => {
    await setOptions(primary, '0', '0');
    await applyEdgeComment(primary.db, { edgeId: 'E-off-1', content: 'quiet held', approved: '0' });
    await applyEdgeComment(primary.db, {
      edgeId: 'E-off-2',
      content: 'quiet approved',
      approved: '1',
    });
    await scan(primary);
    expect(await subjectsAbout(primary, 'quiet')).toEqual([]);
  });

  it('sends nothing for an edge comment stored as spam', async () => {
    await setOptions(primary, '1', '1');
    await applyEdgeComment(primary.db, { edgeId: 'E-spam-1', content: 'spammy', approved: 'spam' });
    await scan(primary);
    expect(await subjectsAbout(primary, 'spammy')).toEqual([]);
  });

  it('scans from WordPress’s own cron on the primary', async () => {
    await setOptions(primary, '1', '1');
    await applyEdgeComment(primary.db, { edgeId: 'E-cron-1', content: 'via cron', approved: '0' });
    // Due now: the scan's next run moved to the past, as it is when a minute has gone by.
    await primary.cli(
      `wp_clear_scheduled_hook('wp_edge_notify_scan'); wp_schedule_event(time() - 1, 'wp_edge_minute', 'wp_edge_notify_scan');
       require ABSPATH . 'wp-cron.php';`,
    );
    expect(await subjectsAbout(primary, 'via cron')).toHaveLength(1);
    expect(
      await primary.cli(
        'echo wp_get_schedule("wp_edge_notify_scan"), " ", wp_get_schedules()["wp_edge_minute"]["interval"];',
      ),
    ).toBe('wp_edge_minute 60');
  });

  it('never mails from a secondary, and does not schedule the scan there', async () => {
    await setOptions(secondary, '1', '1');
    await applyEdgeComment(secondary.db, {
      edgeId: 'E-sec-1',
      content: 'on secondary',
      approved: '0',
    });
    await applyEdgeComment(secondary.db, {
      edgeId: 'E-sec-2',
      content: 'on secondary too',
      approved: '1',
    });
    await scan(secondary);
    await secondary.cli('require ABSPATH . "wp-cron.php";');
    expect(await secondary.mails()).toEqual([]);
    expect(await secondary.cli('var_export(wp_next_scheduled("wp_edge_notify_scan"));')).toBe(
      'false',
    );
  });
});
