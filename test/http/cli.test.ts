// `postino user add` writes a scrypt hash into postino.yml that the login accepts.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core/config/load';
import { checkLogin } from '../../server/http/auth';
import { hashPassword, verifyPassword } from '../../server/http/passwords';

function postino(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/postino.mjs', ...args], { encoding: 'utf8', input, timeout: 60_000 });
}

describe('passwords', () => {
  it('hashes with scrypt and verifies', async () => {
    const h = hashPassword('correct horse');
    expect(h).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('wrong horse', h)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(hashPassword('correct horse')).not.toBe(h);
  });
});

describe('postino user', () => {
  it('adds users to postino.yml, keeps comments, replaces an existing user, adds wall tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postino-user-'));
    const file = join(dir, 'postino.yml');
    writeFileSync(file, '# our config\ntimezone: Europe/Rome\n');
    try {
      const r = postino(['user', 'add', 'alice', '--role', 'operator', '--config', file, '--password-stdin'], 'alice-password\n');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('added user alice (operator)');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('# our config');
      expect(text).not.toContain('alice-password');
      const c = loadConfig(file);
      expect(await checkLogin(c, 'alice', 'alice-password')).toEqual({ user: 'alice', role: 'operator', via: 'session' });
      const again = postino(['user', 'add', 'alice', '--role', 'admin', '--config', file, '--password-stdin'], 'new-password-2\n');
      expect(again.stdout).toContain('updated user alice (admin)');
      const c2 = loadConfig(file);
      expect(c2.users).toHaveLength(1);
      expect((await checkLogin(c2, 'alice', 'new-password-2'))?.role).toBe('admin');
      const bad = postino(['user', 'add', 'bob', '--role', 'king', '--config', file, '--password-stdin'], 'whatever-pw\n');
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/--role: expected one of wall, manager, operator, admin/);
      const short = postino(['user', 'add', 'bob', '--role', 'wall', '--config', file, '--password-stdin'], 'short\n');
      expect(short.stderr).toMatch(/at least 8/);
      const tok = postino(['user', 'wall-token', '--config', file]);
      expect(tok.stdout).toMatch(/^\/wall\?token=[A-Za-z0-9_-]{32}\n$/);
      expect(loadConfig(file).server.wall_tokens).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
