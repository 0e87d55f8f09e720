// What `npm test` needs from the machine beyond npm, and what to do when it is missing: the
// decisions only, so they can be tested without changing the machine (run-prerequisites.ts acts).

/** A Debian package the tests use, and what for (said when it is missing). */
export interface SystemPackage {
  name: string;
  usedFor: string;
}

/** The Debian packages the tests use. */
export const TEST_PACKAGES: readonly SystemPackage[] = [
  { name: 'php-cli', usedFor: "WordPress's own installer and filters in the agent's tests" },
  { name: 'php-mysql', usedFor: 'PHP talking to MariaDB' },
  { name: 'wordpress', usedFor: 'real WordPress nodes (Debian 12: WordPress 6.1)' },
  { name: 'php-fpm', usedFor: 'nginx + php-fpm, what most nodes run' },
  { name: 'nginx', usedFor: 'nginx + php-fpm, what most nodes run' },
  { name: 'chromium', usedFor: 'browser tests (playwright-core drives /usr/bin/chromium)' },
  { name: 'systemd', usedFor: "systemd-analyze rating the agent's unit" },
];

/** The MariaDB server package, installed only when no server is there at all. */
export const MARIADB_PACKAGE = 'mariadb-server';

/** The machine's facts that decide what to do. */
export interface MachineFacts {
  /** Debian packages of TEST_PACKAGES that are not installed. */
  missingPackages: string[];
  isRoot: boolean;
  hasApt: boolean;
}

/** Nothing to do, or stop the test run at once with a message that says what to run. */
export type NoneOrStop = { action: 'none' } | { action: 'stop'; message: string };

/** What to do about the packages: nothing, install them, or stop with a message. */
export type PackagePlan = NoneOrStop | { action: 'install'; packages: string[] };

/** The one command that installs the packages, as a user would type it. */
export function installCommand(packages: string[], asRoot: boolean): string {
  return `${asRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
}

/**
 * Decides about missing packages: as root with apt, install them; otherwise stop at once with
 * the exact command to run.
 * @example
 * planPackages({ missingPackages: ['php-cli'], isRoot: false, hasApt: true })
 * // { action: 'stop', message: '… run: sudo apt-get install -y php-cli' }
 */
export function planPackages(facts: MachineFacts): PackagePlan {
  const { missingPackages: missing } = facts;
  if (missing.length === 0) return { action: 'none' };
  if (!facts.hasApt)
    return {
      action: 'stop',
      message: `the tests need Debian's packages ${missing.join(', ')} and this machine has no apt-get: install their equivalents (PHP 8 with mysqli, WordPress in /usr/share/wordpress, nginx, php-fpm, Chromium at /usr/bin/chromium), or run the tests on Debian 12`,
    };
  if (!facts.isRoot)
    return {
      action: 'stop',
      message: `the tests need Debian's packages ${missing.join(', ')}; run: ${installCommand(missing, false)}`,
    };
  return { action: 'install', packages: missing };
}

/** The facts about the MariaDB server the tests connect to (127.0.0.1:3306, root, no password). */
export interface DatabaseFacts {
  answers: boolean;
  serverInstalled: boolean;
  isRoot: boolean;
  hasApt: boolean;
}

/** What to do about MariaDB: nothing, install and start it, start it, or stop with a message. */
export type DatabasePlan = NoneOrStop | { action: 'install-and-start' } | { action: 'start' };

/** The command that starts an installed MariaDB without systemd, as this project's machines do. */
export const START_MARIADB =
  'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd';

/**
 * Decides about MariaDB: as root, install and start a missing server or start one that is not
 * answering; otherwise say exactly how.
 */
export function planDatabase(facts: DatabaseFacts): DatabasePlan {
  if (facts.answers) return { action: 'none' };
  if (!facts.serverInstalled) {
    if (facts.isRoot && facts.hasApt) return { action: 'install-and-start' };
    return {
      action: 'stop',
      message: `the tests need MariaDB on 127.0.0.1:3306 (root, no password) and none is installed; run: ${installCommand([MARIADB_PACKAGE], facts.isRoot)}, then start it`,
    };
  }
  if (!facts.isRoot)
    return {
      action: 'stop',
      message: `MariaDB is installed but not answering on 127.0.0.1:3306; start it: sudo systemctl start mariadb (or: sudo ${START_MARIADB})`,
    };
  return { action: 'start' };
}

/** Debian's WordPress reads each host's config here; the end-to-end tests write their nodes'. */
export const WORDPRESS_CONFIG_DIR = '/etc/wordpress';

/** Stops when the end-to-end tests could not write their WordPress nodes' configs. */
export function planWordPressConfig(facts: { writable: boolean }): NoneOrStop {
  if (facts.writable) return { action: 'none' };
  return {
    action: 'stop',
    message: `the end-to-end tests write their WordPress nodes' configs into ${WORDPRESS_CONFIG_DIR} (Debian's WordPress reads config-<host>.php there) and cannot; run: sudo chown "$(id -un)" ${WORDPRESS_CONFIG_DIR}`,
  };
}
