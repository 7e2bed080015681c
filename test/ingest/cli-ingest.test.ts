// `postino ingest` as a user runs it: real files, a real SQLite file, a child process.
import { describe, it, expect } from 'vitest';
import { writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postino, tempDir } from '../helpers/cli';

// kdent/postfix_log_analysis mail.log (see test/fixtures/corpus): a small real transaction.
const real = [
  'Jun 29 03:10:03 RHL058 postfix/smtpd[25080]: C05A07C2CA0: client=localhost[127.0.0.1]',
  'Jun 29 03:10:03 RHL058 postfix/cleanup[12555]: C05A07C2CA0: message-id=<1404025803.53afbbcb667b9@swift.generated>',
  'Jun 29 03:10:03 RHL058 postfix/qmgr[14505]: C05A07C2CA0: from=<no-reply@grooveshark.com>, size=26493, nrcpt=1 (queue active)',
  'Jun 29 03:10:04 RHL058 postfix/smtp[21304]: C05A07C2CA0: to=<t.k.custom3@gmail.com>, relay=gmail-smtp-in.l.google.com[173.194.77.27]:25, delay=0.85, delays=0.07/0/0.07/0.71, dsn=2.0.0, status=sent (250 2.0.0 OK 1404025804 lb8si19749612oeb.35 - gsmtp)',
  'Jun 29 03:10:04 RHL058 postfix/qmgr[14505]: C05A07C2CA0: removed',
];

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('postino ingest', () => {
  it('prints the totals as one JSON object, and a second run on the same file adds nothing', () => {
    const dir = tempDir();
    const log = join(dir, 'mail.log');
    writeFileSync(log, real.join('\n') + '\n');
    const db = join(dir, 'p.db');
    const first = postino(['ingest', '--db', db, '--year', '2014', '--json', log]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ files: 1, lines: 5, recognised: 5, unparsed: 0, unparsed_by_program: {}, other: 0, other_by_program: {} });
    expect(count(db, 'SELECT count(*) AS n FROM message_lines')).toBe(5);
    const second = postino(['ingest', '--db', db, '--json', log]);
    expect(JSON.parse(second.stdout)).toMatchObject({ files: 1, lines: 0 });
    expect(count(db, 'SELECT count(*) AS n FROM message_lines')).toBe(5);
    expect(count(db, 'SELECT count(*) AS n FROM deliveries')).toBe(1);
  });

  it('runs the same through tsx when no bundle is used (bin/bundle-cache.mjs falls back to it)', () => {
    const dir = tempDir();
    const log = join(dir, 'mail.log');
    writeFileSync(log, real.join('\n') + '\n');
    const viaTsx = postino(['ingest', '--db', join(dir, 'tsx.db'), '--year', '2014', '--json', log], undefined, { POSTINO_NO_BUNDLE: '1' });
    const bundled = postino(['ingest', '--db', join(dir, 'bundle.db'), '--year', '2014', '--json', log]);
    expect(viaTsx.stderr).toBe('');
    expect(viaTsx.status).toBe(0);
    expect(viaTsx.stdout).toBe(bundled.stdout);
    for (const db of ['tsx.db', 'bundle.db']) expect(count(join(dir, db), 'SELECT count(*) AS n FROM deliveries')).toBe(1);
  });

  it('a last line without its newline is not consumed until it is whole', () => {
    const dir = tempDir();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'p.db');
    const last = real[4]!;
    writeFileSync(log, real.slice(0, 4).join('\n') + '\n' + last.slice(0, 30));
    expect(JSON.parse(postino(['ingest', '--db', db, '--json', log]).stdout)).toMatchObject({ lines: 4 });
    appendFileSync(log, last.slice(30) + '\n');
    expect(JSON.parse(postino(['ingest', '--db', db, '--json', log]).stdout)).toMatchObject({ lines: 1, recognised: 1, unparsed: 0 });
    expect(count(db, `SELECT count(*) AS n FROM messages WHERE status = 'delivered'`)).toBe(1);
  });

  it('reads .gz files and standard input', () => {
    const dir = tempDir();
    const gz = join(dir, 'mail.log.2.gz');
    writeFileSync(gz, gzipSync(real.join('\n') + '\n'));
    const db = join(dir, 'p.db');
    expect(JSON.parse(postino(['ingest', '--db', db, '--json', gz]).stdout)).toMatchObject({ lines: 5, recognised: 5 });
    expect(JSON.parse(postino(['ingest', '--db', db, '--json', gz]).stdout)).toMatchObject({ lines: 0 });
    const db2 = join(dir, 'q.db');
    const r = postino(['ingest', '--db', db2, '--json', '-'], real.join('\n') + '\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 5, recognised: 5 });
  });

  it('hostile input: garbage is counted as unparsed and skipped, nothing else is lost', () => {
    const dir = tempDir();
    const log = join(dir, 'hostile.log');
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x80, 0x81, 0x0a]); // binary + a newline
    const badUtf8 = Buffer.concat([Buffer.from('Jun 29 03:10:05 RHL058 postfix/smtpd[25080]: connect from h\xc3'), Buffer.from([0xc3, 0x28, 0x0a])]);
    const long = `Jun 29 03:10:06 RHL058 postfix/smtpd[25080]: warning: ${'A'.repeat(70 * 1024)}\n`;
    const truncated = 'Jun 29 03:10:07 RHL058 postfix/sm\n';
    writeFileSync(log, Buffer.concat([Buffer.from(real.slice(0, 2).join('\n') + '\n'), garbage, badUtf8, Buffer.from(long), Buffer.from(truncated), Buffer.from(real.slice(2).join('\n') + '\n')]));
    const db = join(dir, 'p.db');
    const r = postino(['ingest', '--db', db, '--year', '2014', '--json', log]);
    expect(r.status).toBe(0);
    const totals = JSON.parse(r.stdout);
    expect(totals.lines).toBe(9);
    expect(totals.recognised + totals.unparsed).toBe(9);
    expect(totals.unparsed).toBeGreaterThanOrEqual(2); // the binary line and the truncated one at least
    expect(totals.unparsed_by_program['(none)']).toBeGreaterThanOrEqual(1);
    // The real transaction around the garbage is complete.
    expect(count(db, `SELECT count(*) AS n FROM messages WHERE status = 'delivered'`)).toBe(1);
    expect(count(db, 'SELECT sum(n) AS n FROM unparsed_counts')).toBe(totals.unparsed);
  });

  it('an empty file adds nothing', () => {
    const dir = tempDir();
    const log = join(dir, 'empty.log');
    writeFileSync(log, '');
    const r = postino(['ingest', '--db', join(dir, 'p.db'), '--json', log]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ files: 1, lines: 0, recognised: 0, unparsed: 0, unparsed_by_program: {}, other: 0, other_by_program: {} });
  });

  it('a missing file is a clear error, exit 1, and nothing is written', () => {
    const dir = tempDir();
    const log = join(dir, 'mail.log');
    writeFileSync(log, real.join('\n') + '\n');
    const db = join(dir, 'p.db');
    const r = postino(['ingest', '--db', db, '--json', log, join(dir, 'nope.log')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope\.log: no such file/);
    expect(r.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('a bad option value or config is a clear error naming it', () => {
    const dir = tempDir();
    const cfg = join(dir, 'postino.yml');
    writeFileSync(cfg, 'retention:\n  connections_days: -3\n');
    const r = postino(['ingest', '--config', cfg, '--db', join(dir, 'p.db'), '-']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/retention\.connections_days/);
    const y = postino(['ingest', '--db', join(dir, 'p.db'), '--year', 'last', '-']);
    expect(y.status).toBe(1);
    expect(y.stderr).toMatch(/--year: expected a year/);
  });
});

describe('postino summary', () => {
  it('bad dates are clear errors, exit 1', () => {
    const db = join(tempDir(), 'p.db');
    const bad = postino(['summary', '--db', db, '--from', '2026-02-30', '--to', '2026-03-01']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--from: expected a date YYYY-MM-DD, got "2026-02-30"/);
    const reversed = postino(['summary', '--db', db, '--from', '2026-03-02', '--to', '2026-03-01']);
    expect(reversed.status).toBe(1);
    expect(reversed.stderr).toMatch(/--from 2026-03-02 is after --to 2026-03-01/);
  });

  it('prints a readable table: one row per figure, one column per day', () => {
    const dir = tempDir();
    const log = join(dir, 'mail.log');
    writeFileSync(log, real.join('\n') + '\n');
    const db = join(dir, 'p.db');
    expect(postino(['ingest', '--db', db, '--year', '2014', log]).status).toBe(0);
    const r = postino(['summary', '--db', db, '--from', '2014-06-28', '--to', '2014-06-29']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^figure\s+2014-06-28\s+2014-06-29$/);
    expect(rows).toHaveLength(1 + 21);
    // The transaction came from localhost (not received from outside): received stays 0.
    expect(rows.find((l) => l.startsWith('received '))).toMatch(/\s0\s+0$/);
  });
});
