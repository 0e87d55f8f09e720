import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  planDatabase,
  planPackages,
  planWordPressConfig,
  TEST_PACKAGES,
} from '../scripts/prerequisites/plan.ts';

const root = path.resolve(import.meta.dirname, '..');
const script = path.join(root, 'scripts/prerequisites/run-prerequisites.ts');

describe('what npm test does about missing Debian packages', () => {
  it.each([
    [{ missingPackages: [], isRoot: false, hasApt: true }, { action: 'none' }],
    [
      { missingPackages: ['php-cli', 'chromium'], isRoot: true, hasApt: true },
      { action: 'install', packages: ['php-cli', 'chromium'] },
    ],
    [
      { missingPackages: ['php-cli', 'chromium'], isRoot: false, hasApt: true },
      {
        action: 'stop',
        message: expect.stringMatching(/run: sudo apt-get install -y php-cli chromium$/),
      },
    ],
    [
      { missingPackages: ['wordpress'], isRoot: true, hasApt: false },
      { action: 'stop', message: expect.stringContaining('has no apt-get') },
    ],
  ])('given %o it plans %o', (facts, plan) => {
    expect(planPackages(facts)).toEqual(plan);
  });
});

describe('what npm test does about MariaDB', () => {
  it.each([
    [{ answers: true, serverInstalled: true, isRoot: false, hasApt: true }, { action: 'none' }],
    [{ answers: false, serverInstalled: true, isRoot: true, hasApt: true }, { action: 'start' }],
    [
      { answers: false, serverInstalled: false, isRoot: true, hasApt: true },
      { action: 'install-and-start' },
    ],
    [
      { answers: false, serverInstalled: true, isRoot: false, hasApt: true },
      { action: 'stop', message: expect.stringContaining('sudo systemctl start mariadb') },
    ],
    [
      { answers: false, serverInstalled: false, isRoot: false, hasApt: true },
      {
        action: 'stop',
        message: expect.stringContaining('sudo apt-get install -y mariadb-server'),
      },
    ],
  ])('given %o it plans %o', (facts, plan) => {
    expect(planDatabase(facts)).toEqual(plan);
  });
});

describe("the end-to-end tests' WordPress configs", () => {
  it('stop the run with the command that makes /etc/wordpress writable', () => {
    expect(planWordPressConfig({ writable: false })).toEqual({
      action: 'stop',
      message: expect.stringContaining('sudo chown "$(id -un)" /etc/wordpress'),
    });
  });
});

describe('npm test on a machine without the packages, as a user without root', () => {
  it('stops at once with one line that gives the exact command to run', async () => {
    const shims = await mkdtemp(path.join(tmpdir(), 'prerequisites-'));
    try {
      // dpkg-query as on a fresh machine: none of the packages is installed.
      await writeFile(path.join(shims, 'dpkg-query'), '#!/bin/sh\nexit 1\n');
      await chmod(shims, 0o755);
      await chmod(path.join(shims, 'dpkg-query'), 0o755);
      const started = Date.now();
      const run = spawnSync(
        'setpriv',
        ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script],
        { encoding: 'utf8', env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } },
      );
      expect(run.status).toBe(1);
      const names = TEST_PACKAGES.map((p) => p.name).join(' ');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`run: sudo apt-get install -y ${names}$`)),
      ]);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await rm(shims, { recursive: true, force: true });
    }
  });
});
