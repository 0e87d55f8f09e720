import { writeFile } from 'node:fs/promises';

/**
 * Writes the config Debian's WordPress reads for requests to `address`
 * (`/etc/wordpress/config-<address>.php`): the test database on the local MariaDB as root,
 * `home` as WP_HOME and WP_SITEURL, the `wp_` prefix, and any further PHP `lines`.
 * Returns the file's path, for the test to remove.
 * @example
 * const file = await writeWordPressConfig({ address: '127.0.0.2', database: 'wp_a', home: 'http://127.0.0.2:8081' });
 */
export async function writeWordPressConfig(options: {
  address: string;
  database: string;
  home: string;
  lines?: string[];
}): Promise<string> {
  const file = `/etc/wordpress/config-${options.address}.php`;
  await writeFile(
    file,
    `<?php
define('DB_NAME', '${options.database}'); define('DB_USER', 'root'); define('DB_PASSWORD', ''); define('DB_HOST', '127.0.0.1');
define('WP_HOME', '${options.home}'); define('WP_SITEURL', '${options.home}');
${(options.lines ?? []).join('\n')}
$table_prefix = 'wp_';
`,
  );
  return file;
}
