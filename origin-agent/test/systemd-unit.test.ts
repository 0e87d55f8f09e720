import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_KEPT_DIR } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { writeAgentConfig } from './support/agent-process.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const unitFile = path.join(repoRoot, 'origin-agent/systemd/wp-edge-agent.service');

describe('the systemd unit', () => {
  it('starts the agent with the project’s own Node and the installed config', async () => {
    const unit = await readFile(unitFile, 'utf8');
    const execStart = unit.match(/^ExecStart=(.+)$/m)?.[1]?.split(' ') ?? [];
    expect(execStart.slice(-3)).toEqual(['--config', '/etc/wp-edge/agent.json', 'run']);
    const dir = await mkdtemp(path.join(tmpdir(), 'agent-unit-'));
    try {
      const config = await writeAgentConfig(dir, 'http://127.0.0.1:8787', {
        database: {
          host: '127.0.0.1',
          port: 3306,
          user: 'wp',
          password: 'wp',
          name: 'wp_a',
          tablePrefix: 'wp_',
        },
      });
      const [node = '', ...args] = execStart
        .slice(0, -3)
        .map((part) => part.replace('/opt/wp-edge', repoRoot));
      const checked = spawnSync(node, [...args, '--config', config, 'check-config'], {
        encoding: 'utf8',
      });
      expect(checked.stderr).toBe('');
      expect(checked.stdout).toMatch(/^config ok: node agent-b of site agent/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is hardened: no capabilities, a read-only system, a syscall filter, and rated OK or better by systemd-analyze', async () => {
    const unit = await readFile(unitFile, 'utf8');
    for (const directive of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'SystemCallFilter=@system-service',
    ])
      expect(unit.split('\n')).toContain(directive);
    const analyze = spawnSync('systemd-analyze', ['security', '--offline=yes', unitFile], {
      encoding: 'utf8',
    });
    expect(analyze.error).toBeUndefined();
    const rating = /Overall exposure level for .*: ([\d.]+) (\w+)/.exec(analyze.stdout);
    expect(rating?.[2]).toMatch(/^(OK|SAFE|PERFECT)$/);
    expect(Number(rating?.[1])).toBeLessThanOrEqual(2);
  });

  it('lets content sync write only to wp-content and its own state folder, where kept databases go', async () => {
    const lines = (await readFile(unitFile, 'utf8')).split('\n');
    expect(lines).toContain('ReadWritePaths=-/var/lib/wordpress/wp-content');
    expect(lines).toContain('StateDirectory=wp-edge-agent');
    expect(lines).toContain('StateDirectoryMode=0700');
    expect(path.dirname(DEFAULT_KEPT_DIR)).toBe('/var/lib/wp-edge-agent');
  });
});
