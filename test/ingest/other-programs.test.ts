// `unparsed` means "a mail line we could not read": lines of programs postino does not read
// (sshd, spamd, cron ...) are counted apart as `other`, by program, in the ingest totals, the
// sources, `postino status`, /api/health and /metrics. Real lines: test/fixtures/other-programs.log.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { postino, tempDir } from '../helpers/cli';
import { makeEnv, loginAs, type TestEnv } from '../helpers/env';
import { parseLine, readsProgram } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';

const fixture = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'other-programs.log'), 'utf8');
const lines = fixture.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const ctx = { tz: 'Europe/Rome', year: yearFromStart(2024) };

/** What each real line must be, by program: the fixture's blocks. */
function expectedKind(line: string): 'other' | 'unparsed' | 'recognised' {
  if (/ (sshd|spamd)[[ ]/.test(line)) return 'other';
  if (line.includes(': removedo')) return 'unparsed';
  return 'recognised';
}

describe('which programs postino reads', () => {
  const cases: Array<[string, boolean]> = [
    ['postfix/smtpd', true],
    ['postfix-out/smtpd', true],
    ['postfix/submission/smtpd', true],
    ['postfix-incoming/smtpd', true],
    ['postfix', true],
    ['amavis', true],
    ['/usr/sbin/amavisd-new', true],
    ['dovecot', true],
    ['imap-login', true],
    ['milter-greylist', true],
    ['sshd', false],
    ['CRON', false],
    ['cron', false],
    ['kernel', false],
    ['systemd', false],
    ['su', false],
    ['spamd', false],
    ['opendkim', false],
    ['sendmail', false],
  ];
  for (const [program, reads] of cases) {
    it(`${program}: ${reads ? 'read (its lost lines are unparsed)' : 'not read (its lines are other)'}`, () => {
      expect(readsProgram(program)).toBe(reads);
    });
  }
});

describe('a cron/sshd line is other, a garbled postfix line unparsed', () => {
  it('the fixture holds all three kinds', () => {
    const kinds = new Set(lines.map(expectedKind));
    expect([...kinds].sort()).toEqual(['other', 'recognised', 'unparsed']);
  });
  for (const line of lines) {
    it(`${expectedKind(line)}: ${line.slice(0, 90)}`, () => {
      const ev = parseLine(line, ctx);
      const want = expectedKind(line);
      if (want === 'recognised') expect(ev.kind).not.toMatch(/^(other|unparsed)$/);
      else expect(ev.kind).toBe(want);
    });
  }
});

describe('ingest, status, health and metrics count other apart', () => {
  const dir = tempDir('postino-other-');
  const db = join(dir, 'p.db');
  const log = join(dir, 'mail.log');
  const nOther = lines.filter((l) => expectedKind(l) === 'other').length;
  const bySshd = lines.filter((l) => / sshd[[ ]/.test(l)).length;
  const bySpamd = lines.filter((l) => / spamd\[/.test(l)).length;
  let totals: Record<string, unknown>;

  beforeAll(() => {
    writeFileSync(log, lines.join('\n') + '\n');
    const r = postino(['ingest', '--db', db, '--year', '2024', '--json', log]);
    expect(r.status, r.stderr).toBe(0);
    totals = JSON.parse(r.stdout) as Record<string, unknown>;
  });

  it('postino ingest --json: other and other_by_program beside unparsed', () => {
    expect(totals).toMatchObject({
      lines: lines.length,
      recognised: lines.length - nOther - 1,
      unparsed: 1,
      unparsed_by_program: { 'postfix/qmgr': 1 },
      other: nOther,
      other_by_program: { sshd: bySshd, spamd: bySpamd },
    });
  });

  it('postino status --json and text: other by program, and per source', () => {
    const r = postino(['status', '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const st = JSON.parse(r.stdout) as { sources: Array<{ lines: number; unparsed: number; other: number }>; unparsed: Array<{ program: string; n: number }>; other: Array<{ program: string; n: number; sample?: string }> };
    expect(st.sources[0]).toMatchObject({ lines: lines.length, unparsed: 1, other: nOther });
    expect(st.unparsed.map((u) => [u.program, u.n])).toEqual([['postfix/qmgr', 1]]);
    expect(st.other.map((o) => [o.program, o.n])).toEqual([
      ['sshd', bySshd],
      ['spamd', bySpamd],
    ]);
    expect(st.other[0]!.sample).toBeUndefined();
    const text = postino(['status', '--db', db]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`(1 unparsed, ${nOther} other)`);
    expect(text.stdout).toMatch(new RegExp(`other programs[^\\n]*:\\n  sshd: ${bySshd}\\n  spamd: ${bySpamd}\\n`));
  });
});

describe('/api/health and /metrics', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv(lines.filter((l) => /^[A-Z][a-z]{2} /.test(l)));
  });
  afterAll(() => env.close());

  it('/api/health: other by program (no sample) and in the totals', async () => {
    const manager = await loginAs(env.app(), 'manager');
    const r = await manager.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body.other).toEqual([
      { program: 'spamd', n: 3, last_at: expect.any(Number) },
      { program: 'sshd', n: 3, last_at: expect.any(Number) },
    ]);
    expect(r.body.unparsed.map((u: { program: string }) => u.program)).toEqual(['postfix/qmgr']);
    expect(r.body.totals).toMatchObject({ other: 6, unparsed: 1 });
    expect(r.body.sources[0].other).toBe(6);
  });

  it('/metrics: postino_lines_other_total{program} is a counter promtool accepts', async () => {
    const manager = await loginAs(env.app(), 'manager');
    const r = await manager.get('/metrics');
    expect(r.status).toBe(200);
    expect(r.text).toContain('# TYPE postino_lines_other_total counter');
    expect(r.text).toContain('postino_lines_other_total{program="sshd"} 3');
    expect(r.text).toContain('postino_lines_other_total{program="spamd"} 3');
    const ours = r.text
      .split('\n')
      .filter((l) => l.includes('postino_lines_other_total'))
      .join('\n');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: ours + '\n', encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
