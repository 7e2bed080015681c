import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, generateToFile, type GenerateOptions, type GenerateResult } from '../../collectors/generate/index';
import { dayBounds, localToUnix } from '../../core/time/local-time';
import { figureNames } from '../../core/rollup/figures';

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

async function collect(opts: GenerateOptions, limit = Infinity): Promise<{ lines: string[]; res: GenerateResult }> {
  const lines: string[] = [];
  const res = await generate(opts, (l) => {
    if (lines.length < limit) lines.push(l);
  });
  return { lines, res };
}

/** Unix seconds of a syslog stamp, given the year of the run's first day. */
function stampTime(line: string, year: number, tz = 'Europe/Rome'): number {
  const mon = MON.indexOf(line.slice(0, 3)) + 1;
  const day = Number(line.slice(4, 6).trim());
  const [h, m, s] = line.slice(7, 15).split(':').map(Number) as [number, number, number];
  return localToUnix(tz, year, mon, day, h, m, s);
}

const base: GenerateOptions = { start: '2025-03-12', days: 1, scale: 0.01, tz: 'Europe/Rome', seed: 42 };
const tmp = mkdtempSync(join(tmpdir(), 'postino-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generate', () => {
  let run: { lines: string[]; res: GenerateResult };

  it('is deterministic for the same seed and differs for another', async () => {
    run = await collect(base);
    const again = await collect(base, 1000);
    expect(again.lines).toEqual(run.lines.slice(0, 1000));
    const other = await collect({ ...base, seed: 43 }, 1000);
    expect(other.lines).not.toEqual(again.lines);
    expect(run.res.lines).toBe(run.lines.length);
  });

  it('writes syslog lines in time order with real envelopes', () => {
    let prev = -Infinity;
    const env = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [a-z0-9.-]+ ([a-z/-]+(\[\d+\])?): \S/;
    for (const l of run.lines) {
      expect(l).toMatch(env);
      const t = stampTime(l, 2025);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
    expect(stampTime(run.lines[0]!, 2025)).toBe(run.res.firstAt);
    expect(stampTime(run.lines.at(-1)!, 2025)).toBe(run.res.lastAt);
    const [s, e] = dayBounds('Europe/Rome', '2025-03-12');
    expect(run.res.firstAt).toBeGreaterThanOrEqual(s);
    expect(run.res.lastAt).toBeLessThan(e);
  });

  it('emits truth near scale x calibration, every figure > 0', () => {
    expect(run.res.truth.days.map((d) => d.date)).toEqual(['2025-03-12']);
    const day = run.res.truth.days[0]!;
    for (const n of figureNames) {
      expect(Number.isInteger(day[n]), n).toBe(true);
      expect(day[n], n).toBeGreaterThan(0);
    }
    const cal: Partial<Record<(typeof figureNames)[number], number>> = {
      connections: 1_000_000,
      connections_passed: 58_000,
      received: 18_575,
      clean: 14_050,
      spam_tagged: 2_000,
      spam_blocked: 2_500,
      delivered: 16_000,
      delivered_recipients: 21_000,
      forwarded_recipients: 5_500,
      // the three rare outbound kinds (deferred, bounced, spam) never go below 3 a day each
      outbound_submitted: 3_000 + (3 * Math.max(3, 50 * base.scale)) / base.scale,
      imap_logins: 40_000,
      pop3_logins: 3_000,
    };
    for (const [n, v] of Object.entries(cal)) {
      const got = day[n as (typeof figureNames)[number]];
      expect(got, n).toBeGreaterThanOrEqual(v * base.scale * 0.75);
      expect(got, n).toBeLessThanOrEqual(v * base.scale * 1.25);
    }
    expect(day.greylisted).toBeLessThan(day.rejected);
    expect(day.forwarded_recipients).toBeLessThan(day.delivered_recipients);
    expect(day.delivered).toBeLessThanOrEqual(day.clean + day.spam_tagged);
    expect(day.unique_users).toBeLessThanOrEqual(60);
  });

  it('truth agrees with a plain recount of the emitted lines', () => {
    const count = (re: RegExp): number => run.lines.filter((l) => re.test(l)).length;
    const day = run.res.truth.days[0]!;
    expect(day.connections).toBe(count(/postscreen\[\d+\]: CONNECT from /));
    expect(day.connections_passed).toBe(count(/postscreen\[\d+\]: (PASS OLD|PASS NEW|WHITELISTED) /));
    expect(day.rejected).toBe(count(/: (NOQUEUE|[0-9A-F]+): (milter-)?reject: /));
    expect(day.greylisted).toBe(count(/milter-reject: .*Greylisting/));
    expect(day.deferrals).toBe(count(/status=deferred/));
    expect(day.bounced).toBe(count(/status=bounced/));
    expect(day.sasl_auth_failures).toBe(count(/SASL \w+ authentication failed/));
    expect(day.imap_logins).toBe(count(/imap-login: proxy\(.*started proxying/));
    expect(day.pop3_logins).toBe(count(/pop3-login: proxy\(.*started proxying/));
    expect(day.login_failures).toBe(count(/auth failed/));
    expect(day.spam_blocked).toBe(count(/Blocked SPAM \{DiscardedInbound/));
    expect(day.outbound_spam_blocked).toBe(count(/Blocked SPAM \{DiscardedOutbound.*ORIGINATING/));
    expect(day.forwarded_recipients).toBe(count(/postfix\/smtp\[\d+\]: [0-9A-F]+: to=<[^>]+>, orig_to=<[^>]+>, .*status=sent/));
    // every queue id is removed, and never reused
    const ids = new Set<string>();
    for (const l of run.lines) {
      const m = / postfix\/qmgr\[\d+\]: ([0-9A-F]{10,11}): removed$/.exec(l);
      if (m) {
        expect(ids.has(m[1]!)).toBe(false);
        ids.add(m[1]!);
      }
    }
    const withQid = new Set<string>();
    for (const l of run.lines) {
      const m = / postfix\/(?:smtpd|submission\/smtpd)\[\d+\]: ([0-9A-F]{10,11}): client=/.exec(l);
      if (m) withQid.add(m[1]!);
    }
    for (const q of withQid) expect(ids.has(q), q).toBe(true);
  });

  it('logs the default mbox1 outage with deferred, split and later delivered mail', () => {
    const has = (re: RegExp): boolean => run.lines.some((l) => re.test(l));
    expect(has(/^Mar 12 03:00:00 mbox1\.unipi\.it dovecot: master: Warning: Killed with signal 15/)).toBe(true);
    expect(has(/^Mar 12 03:00:0\d mbox1\.unipi\.it postfix\/master\[\d+\]: terminating on signal 15$/)).toBe(true);
    expect(has(/^Mar 12 03:20:0\d mbox1\.unipi\.it postfix\/master\[\d+\]: daemon started -- version 3\.7\.11, configuration \/etc\/postfix$/)).toBe(true);
    expect(has(/^Mar 12 03:20:0\d mbox1\.unipi\.it dovecot: master: Dovecot v2\.3\.19 .*starting up for imap, pop3, lmtp/)).toBe(true);
    expect(has(/postfix\/lmtp\[\d+\]: connect to mbox1\.unipi\.it\[10\.1\.0\.11\]:24: Connection refused$/)).toBe(true);
    expect(has(/imap-login: .*proxy\(.+\): connect\(10\.1\.0\.11, 143\) failed: Connection refused/)).toBe(true);
    // a queue id with mbox1 recipients deferred, mbox2 sent at once, mbox1 sent after the restart
    const deferred = run.lines.filter((l) => /relay=none, .*status=deferred \(connect to mbox1/.test(l));
    expect(deferred.length).toBeGreaterThan(0);
    const split = [...new Set(deferred.map((l) => /: ([0-9A-F]+): to=/.exec(l)![1]!))].find((q) =>
      run.lines.some((l) => l.includes(`${q}: to=`) && l.includes('relay=mbox2.unipi.it') && l.includes('status=sent')),
    );
    expect(split).toBeDefined();
    const sent1 = run.lines.filter((l) => l.includes(`${split}: to=`) && l.includes('relay=mbox1.unipi.it') && l.includes('status=sent'));
    expect(sent1.length).toBeGreaterThan(0);
    expect(sent1[0]! > 'Mar 12 03:20:01').toBe(true);
  });

  it('without the outage plan there is no outage', async () => {
    const { lines } = await collect({ ...base, scale: 0.002, outagePlan: 'none' });
    expect(lines.some((l) => l.includes('Connection refused'))).toBe(false);
    expect(lines.some((l) => l.includes('Killed with signal'))).toBe(false);
  });

  it('crosses midnight and New Year', async () => {
    const { lines, res } = await collect({ start: '2025-12-31', days: 2, scale: 0.002, tz: 'Europe/Rome', seed: 5 });
    expect(lines.some((l) => l.startsWith('Dec 31 '))).toBe(true);
    expect(lines.some((l) => l.startsWith('Jan  1 '))).toBe(true);
    expect(lines.some((l) => l.startsWith('Jan  2 '))).toBe(false);
    const firstJan = lines.findIndex((l) => l.startsWith('Jan'));
    expect(lines.slice(firstJan).every((l) => l.startsWith('Jan  1 '))).toBe(true);
    expect(res.truth.days.map((d) => d.date)).toEqual(['2025-12-31', '2026-01-01']);
    const dec = lines.filter((l) => l.startsWith('Dec 31') && /postscreen\[\d+\]: CONNECT /.test(l)).length;
    expect(res.truth.days[0]!.connections).toBe(dec);
  });

  it('stops at `until` and counts only emitted lines', async () => {
    const until = localToUnix('Europe/Rome', 2025, 3, 12, 12, 0, 0);
    const { lines, res } = await collect({ ...base, scale: 0.002, until });
    expect(res.lastAt).toBeLessThanOrEqual(until);
    expect(res.lastAt).toBeGreaterThan(until - 600);
    expect(lines.at(-1)!.startsWith('Mar 12 1')).toBe(true);
    expect(res.truth.days[0]!.connections).toBe(lines.filter((l) => / CONNECT from /.test(l)).length);
  });

  it('writes valid gzip with the mtime of the last line', async () => {
    const path = join(tmp, 'mail.log.gz');
    const res = await generateToFile({ ...base, scale: 0.002 }, path);
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(res.lines);
    expect(Math.round(statSync(path).mtimeMs / 1000)).toBe(res.lastAt);
    const plain = join(tmp, 'mail.log');
    const res2 = await generateToFile({ ...base, scale: 0.002 }, plain);
    expect(readFileSync(plain, 'utf8')).toBe(text);
    expect(res2.truth).toEqual(res.truth);
  });
});
