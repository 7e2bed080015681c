// Quota snapshots: doveadm's tab output parsed, one row per mailbox per day, through the real CLI.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDoveadmQuota, QuotaFormatError } from '../../cost/quota-import';
import { openDb } from '../../core/db/open';
import { postino, tempDir, repoRoot } from '../helpers/cli';

const fixture = join(repoRoot, 'test', 'fixtures', 'doveadm', 'quota-get-A.tsv');

describe('parseDoveadmQuota', () => {
  it('reads STORAGE (KiB) and MESSAGE rows per user', () => {
    expect(parseDoveadmQuota(readFileSync(fixture, 'utf8'))).toEqual([
      { mailbox: 'truongvh1@truongvh.com', used_bytes: 25 * 1024, limit_bytes: 1048576 * 1024, messages: 24 },
      { mailbox: 'truongvh2@truongvh.com', used_bytes: 1024, limit_bytes: 512000 * 1024, messages: 3 },
    ]);
  });

  it('several quota roots of a user: the largest storage, never a sum', () => {
    const text = 'Username\tQuota name\tType\tValue\tLimit\t%\nA@x.it\tUser quota\tSTORAGE\t10\t-\t0\na@x.it\tDomain quota\tSTORAGE\t30\t100\t30\n';
    expect(parseDoveadmQuota(text)).toEqual([{ mailbox: 'a@x.it', used_bytes: 30 * 1024, limit_bytes: 100 * 1024, messages: null }]);
  });

  it('refuses what is not doveadm tab output, naming the line', () => {
    expect(() => parseDoveadmQuota('Quota name Type    Value   Limit   %\n')).toThrow(/line 1: expected the header/);
    const bad = 'Username\tQuota name\tType\tValue\tLimit\t%\na@x.it\tuser\tSTORAGE\t12k\t-\t0\n';
    expect(() => parseDoveadmQuota(bad)).toThrow(QuotaFormatError);
    expect(() => parseDoveadmQuota(bad)).toThrow(/line 2: value "12k"/);
    expect(() => parseDoveadmQuota('Username\tQuota name\tType\tValue\tLimit\t%\na@x.it\tuser\tINODES\t1\t-\t0\n')).toThrow(/line 2: unknown quota type/);
  });
});

describe('postino quota import', () => {
  it('stores one row per mailbox per day; a day imported again is replaced', () => {
    const dir = tempDir('postino-quota-');
    const db = join(dir, 'p.db');
    const named = join(dir, 'quota-2026-11-03.tsv');
    writeFileSync(named, readFileSync(fixture));
    let r = postino(['quota', 'import', '--db', db, '--json', named]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).snapshots).toEqual([{ file: named, date: '2026-11-03', mailboxes: 2, used_bytes: 26 * 1024 }]);
    // stdin with --date, then the same day again from a changed file
    r = postino(['quota', 'import', '--db', db, '--date', '2026-11-04', '-'], readFileSync(fixture));
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(named, 'Username\tQuota name\tType\tValue\tLimit\t%\ntruongvh1@truongvh.com\tuser\tSTORAGE\t40\t1048576\t0\n');
    r = postino(['quota', 'import', '--db', db, named]);
    expect(r.status, r.stderr).toBe(0);
    const h = openDb(db, { readonly: true });
    const rows = h.prepare('SELECT date, mailbox, used_bytes FROM quota_snapshots ORDER BY date, mailbox').all();
    h.close();
    expect(rows).toEqual([
      { date: '2026-11-03', mailbox: 'truongvh1@truongvh.com', used_bytes: 40 * 1024 },
      { date: '2026-11-04', mailbox: 'truongvh1@truongvh.com', used_bytes: 25 * 1024 },
      { date: '2026-11-04', mailbox: 'truongvh2@truongvh.com', used_bytes: 1024 },
    ]);
  });

  it('a malformed file: exit 1 with the line, nothing written', () => {
    const dir = tempDir('postino-quota-');
    const good = join(dir, 'quota-2026-11-03.tsv');
    const bad = join(dir, 'quota-2026-11-04.tsv');
    writeFileSync(good, readFileSync(fixture));
    writeFileSync(bad, 'Username\tQuota name\tType\tValue\tLimit\t%\nx@y.it\tuser\tSTORAGE\tlots\t-\t0\n');
    const r = postino(['quota', 'import', '--db', join(dir, 'p.db'), good, bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: line 2: value "lots" is not a whole number`);
    expect(existsSync(join(dir, 'p.db'))).toBe(false);
    const two = postino(['quota', 'import', '--db', join(dir, 'p.db'), '--date', '2026-11-01', good, bad]);
    expect(two.status).toBe(1);
    expect(two.stderr).toContain('--date names one day');
  });
});
