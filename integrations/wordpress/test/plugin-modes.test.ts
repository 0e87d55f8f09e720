import { ORIGIN_SECRET_HEADER } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-plugin-mode-0123456789abcdef';
let site: WordPressSite;

beforeAll(async () => {
  site = await startWordPressSite({
    address: '127.0.0.105',
    asPlugin: true,
    constants: { WP_EDGE_ORIGIN_SECRET: SECRET },
  });
});
afterAll(async () => {
  await site?.stop();
});

describe('the plugin installed as an ordinary plugin', () => {
  it('is active under its own name', async () => {
    expect(
      await site.cli(
        'require_once ABSPATH . "wp-admin/includes/plugin.php"; var_export(is_plugin_active("wp-edge/wp-edge.php"));',
      ),
    ).toBe('true');
  });

  it('locks the origin as the mu-plugin does', async () => {
    expect((await fetch(`${site.url}/?p=1`)).status).toBe(403);
    const edge = await fetch(`${site.url}/?p=1`, { headers: { [ORIGIN_SECRET_HEADER]: SECRET } });
    expect(edge.status).toBe(200);
  });
});
