// Files holding personal data or credentials are the owner's only (0600), whatever the umask:
// the database with its WAL and shared memory, backups, postino.yml (written atomically).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmodSync, readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../core/db/open';
import { backupDatabase } from '../../server/cli/backup';
import { postino, tempDir, repoRoot } from '../helpers/cli';

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
let oldMask = 0;
beforeAll(() => {
  // the usual default: files would come out world-readable (0644); the CLI children inherit it
  oldMask = process.umask(0o022);
});
afterAll(() => {
  process.umask(oldMask);
});

describe('file modes', () => {
  it('a new database, its WAL and shared-memory files and a backup are 0600; a new data directory 0700', async () => {
    const dir = tempDir('postino-modes-');
    const path = join(dir, 'data', 'postino.db');
    const db = openDb(path);
    db.prepare(`INSERT INTO audit (at, user, role, action, query) VALUES (1, 'a', 'admin', 'x', '{}')`).run();
    expect(mode(join(dir, 'data'))).toBe('700');
    expect(mode(path)).toBe('600');
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(mode(`${path}-wal`)).toBe('600');
    expect(mode(`${path}-shm`)).toBe('600');
    const backup = join(dir, 'backup.db');
    await backupDatabase(db, backup);
    expect(mode(backup)).toBe('600');
    db.close();
    // an existing database made world-readable by an older version is closed to others again
    chmodSync(path, 0o644);
    openDb(path).close();
    expect(mode(path)).toBe('600');
  });

  it('postino user add creates postino.yml 0600, writes it atomically and keeps an existing mode', () => {
    const dir = tempDir('postino-yml-');
    const file = join(dir, 'postino.yml');
    const add = (name: string) => postino(['user', 'add', name, '--role', 'admin', '--config', file, '--password-stdin'], 'long-enough-pw\n');
    const r = add('alice');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(mode(file)).toBe('600');
    const inode = statSync(file).ino;
    // a group-readable file (the administrator's choice) stays so; the file is replaced, not rewritten
    chmodSync(file, 0o640);
    expect(add('bob').status).toBe(0);
    expect(mode(file)).toBe('640');
    expect(statSync(file).ino).not.toBe(inode);
    expect(readFileSync(file, 'utf8')).toMatch(/name: bob/);
    expect(readdirSync(dir)).toEqual(['postino.yml']);
    expect(postino(['user', 'wall-token', '--config', file], undefined).status).toBe(0);
    expect(mode(file)).toBe('640');
    expect(readdirSync(dir)).toEqual(['postino.yml']);
  });

  it('the systemd unit sets UMask=0077', () => {
    expect(readFileSync(join(repoRoot, 'contrib', 'postino.service'), 'utf8')).toMatch(/^UMask=0077$/m);
  });
});
