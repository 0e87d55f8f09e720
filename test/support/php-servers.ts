import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './http.ts';

const run = promisify(execFile);

/** Every script a WordPress docroot has that path rules care about, plus the front controller. */
export const PROBED_SCRIPTS = [
  'index.php',
  'wp-login.php',
  'xmlrpc.php',
  'wp-comments-post.php',
  'wp-cron.php',
  'wp-signup.php',
  'wp-admin/index.php',
  'wp-admin/admin-ajax.php',
  'wp-admin/post.php',
];

// Each script prints its own path under the docroot: which one a request really ran.
const PROBE =
  "<?php echo substr(realpath($_SERVER['SCRIPT_FILENAME']), strlen(realpath($_SERVER['DOCUMENT_ROOT'])) + 1);\n";

// `/names.php` prints the names PHP gave the request's cookies and query parameters.
const NAMES =
  "<?php echo json_encode(['cookies' => array_keys($_COOKIE), 'query' => array_keys($_GET)]);\n";

/** The names PHP itself gives a request's cookies and query parameters (`raw` is sent as is). */
export function phpNamesFor(
  base: string,
  rawQuery: string,
  cookie: string,
): Promise<{ cookies: string[]; query: string[] }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: `/names.php?${rawQuery}`, headers: { cookie }, timeout: 5_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('timeout', () => req.destroy(new Error('names.php timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The web servers WordPress nodes run, each serving a docroot of probe scripts. */
export interface PhpServers {
  /** nginx + php-fpm with WordPress's usual server block (`location ~ \.php$`). */
  nginx: string;
  /** nginx + php-fpm with PATH_INFO split (`location ~ [^/]\.php(/|$)`), nginx's PHP example. */
  nginxPathInfo: string;
  /** PHP's built-in server (`php -S`). */
  phpServer: string;
  stop(): Promise<void>;
}

function nginxConfig(dir: string, docroot: string, host: string, fpm: string): string {
  const php = (location: string, extra: string) => `
    location ${location} {
      ${extra}
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_pass ${fpm};
    }`;
  return `user www-data; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server {
    listen ${host}:8080; root ${docroot}; index index.php;
    location / { try_files $uri $uri/ /index.php?$args; }
    ${php('~ \\.php$', '')}
  }
  server {
    listen ${host}:8081; root ${docroot}; index index.php;
    location / { try_files $uri $uri/ /index.php?$args; }
    ${php('~ [^/]\\.php(/|$)', 'fastcgi_split_path_info ^(.+?\\.php)(/.*)$; fastcgi_param PATH_INFO $fastcgi_path_info;')}
  }
}
`;
}

/**
 * What a server ran for a request line sent byte for byte as given (no URL parsing on the
 * way): the probe script's path, or `status <code>` when no probe answered.
 */
export function ranFor(base: string, rawPath: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve(
          res.statusCode === 200 && /^[\w/.-]+\.php$/.test(body)
            ? body
            : `status ${res.statusCode}`,
        ),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${rawPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function stopByPidFile(file: string): Promise<void> {
  const pid = Number(await readFile(file, 'utf8').catch(() => ''));
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Starts nginx + php-fpm (Debian's packages) on `host` ports 8080/8081 and 9000, and `php -S`
 * on `phpHost`:8080, over one docroot of probe scripts. `stop()` ends exactly these processes.
 */
export async function startPhpServers(host: string, phpHost: string): Promise<PhpServers> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-path-rules-'));
  const docroot = path.join(dir, 'docroot');
  await mkdir(path.join(docroot, 'wp-admin'), { recursive: true });
  await mkdir(path.join(dir, 'tmp'));
  for (const script of PROBED_SCRIPTS) await writeFile(path.join(docroot, script), PROBE);
  await writeFile(path.join(docroot, 'names.php'), NAMES);
  // nginx and php-fpm run as www-data: they must be able to read the docroot.
  for (const folder of [dir, docroot, path.join(docroot, 'wp-admin')]) await chmod(folder, 0o755);
  const fpm = `${host}:9000`;
  await writeFile(
    path.join(dir, 'fpm.conf'),
    `[global]\npid = ${dir}/fpm.pid\nerror_log = ${dir}/fpm.log\ndaemonize = yes\n[www]\nuser = www-data\ngroup = www-data\nlisten = ${fpm}\npm = static\npm.max_children = 2\n`,
  );
  await writeFile(path.join(dir, 'nginx.conf'), nginxConfig(dir, docroot, host, fpm));
  let php: ChildProcess | undefined;
  const stop = async () => {
    await stopByPidFile(path.join(dir, 'nginx.pid'));
    await stopByPidFile(path.join(dir, 'fpm.pid'));
    if (php?.pid && php.exitCode === null) php.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run('php-fpm8.2', ['-y', path.join(dir, 'fpm.conf')], { timeout: 10_000 });
    await run('nginx', ['-c', path.join(dir, 'nginx.conf')], { timeout: 10_000 });
    php = spawn('php', ['-S', `${phpHost}:8080`, '-t', docroot], { stdio: 'ignore' });
    const servers = {
      nginx: `http://${host}:8080`,
      nginxPathInfo: `http://${host}:8081`,
      phpServer: `http://${phpHost}:8080`,
    };
    for (const base of Object.values(servers))
      await eventually(
        async () => ((await ranFor(base, '/wp-login.php')) === 'wp-login.php' ? true : undefined),
        10_000,
        `${base} to serve its probe scripts`,
      );
    return { ...servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
