// The first step of `npm test`: makes the machine ready for the tests, idempotently, like
// Playwright's `install --with-deps`: Debian packages installed with apt when running as root,
// MariaDB started when installed but idle; otherwise it stops at once, saying what to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import {
  type DatabasePlan,
  MARIADB_PACKAGE,
  type NoneOrStop,
  type PackagePlan,
  planDatabase,
  planPackages,
  planWordPressConfig,
  START_MARIADB,
  TEST_PACKAGES,
  WORDPRESS_CONFIG_DIR,
} from './plan.ts';

const MARIADB = { host: '127.0.0.1', port: 3306 };
const START_WAIT_MS = 30_000;

function say(line: string) {
  console.log(`prerequisites: ${line}`);
}

function stop(message: string): never {
  console.error(`prerequisites: ${message}`);
  process.exit(1);
}

function stopIfAsked(plan: NoneOrStop | PackagePlan | DatabasePlan) {
  if (plan.action === 'stop') stop(plan.message);
}

function isInstalled(name: string): boolean {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format field, not JavaScript's.
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages: string[]) {
  say(`installing ${packages.join(' ')} with apt-get (once; about two minutes)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { stdio: 'inherit', env } as const;
  const lock = ['-o', 'DPkg::Lock::Timeout=120'];
  const update = spawnSync('apt-get', [...lock, 'update', '-qq'], options);
  const install =
    update.status === 0
      ? spawnSync('apt-get', [...lock, 'install', '-y', '-qq', ...packages], options)
      : update;
  if (install.status !== 0)
    stop(
      `apt-get could not install ${packages.join(' ')} (exit ${install.status}): check that this machine reaches Debian's package mirrors, then run: apt-get install -y ${packages.join(' ')}`,
    );
}

function portAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(MARIADB);
    socket.setTimeout(2_000);
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function startMariaDb() {
  say(`starting MariaDB: ${START_MARIADB}`);
  const [command = '', ...args] = START_MARIADB.split(' ');
  const started = spawnSync(command, args, { stdio: 'inherit' });
  if (started.status !== 0) stop(`could not start MariaDB with: ${START_MARIADB}`);
  const deadline = Date.now() + START_WAIT_MS;
  while (!(await portAnswers())) {
    if (Date.now() > deadline)
      stop(
        `MariaDB was started but does not answer on 127.0.0.1:3306 after ${START_WAIT_MS / 1000} s; see its log (journalctl -u mariadb, or /var/log/mysql)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function checkRootLogin() {
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql
    .createConnection({ ...MARIADB, user: 'root', password: '' })
    .catch((error: Error) =>
      stop(
        `MariaDB answers on 127.0.0.1:3306 but refuses root with no password (${error.message}); the tests connect that way: on a development machine run: sudo mariadb -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"`,
      ),
    );
  await connection.end();
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const isRoot = process.getuid?.() === 0;
const hasApt = hasCommand('apt-get') && hasCommand('dpkg-query');
const names = TEST_PACKAGES.map((p) => p.name);
const missing = hasApt ? names.filter((name) => !isInstalled(name)) : names;
const packagePlan = planPackages({ missingPackages: missing, isRoot, hasApt });
stopIfAsked(packagePlan);
if (packagePlan.action === 'install') aptInstall(packagePlan.packages);

const databasePlan = planDatabase({
  answers: await portAnswers(),
  serverInstalled: existsSync('/usr/sbin/mariadbd'),
  isRoot,
  hasApt,
});
stopIfAsked(databasePlan);
if (databasePlan.action === 'install-and-start') aptInstall([MARIADB_PACKAGE]);
if (databasePlan.action !== 'none') await startMariaDb();
await checkRootLogin();

stopIfAsked(planWordPressConfig({ writable: isWritable(WORDPRESS_CONFIG_DIR) }));
say(`ready: ${names.join(', ')} installed; MariaDB answers on 127.0.0.1:3306`);
