// /metrics passes `promtool check metrics` with no findings; quantities that only grow are
// *_total counters, by host where it applies, equal to the detail rows and to the daily
// figures, and they never go down (a retention purge and a recomputation take nothing away).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { makeEnv, WALL_TOKEN, type TestEnv } from '../helpers/env';
import { baseDay, botConnections, logins, DATE, NOW_MS } from '../helpers/lines';
import { dailyFigures, flushRollups } from '../../core/rollup/rollup';
import { purgeDetailRows } from '../../server/retention';
import { PROMTOOL, havePromtool, promtoolFindings } from '../helpers/promtool';

if (!havePromtool) console.warn(`promtool test skipped: ${PROMTOOL} is missing (apt-get install prometheus; .ci/run installs it)`);

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(baseDay());
});
afterAll(() => env.close());

async function scrape(): Promise<string> {
  const r = await request(env.app()).get('/metrics').set('Authorization', `Bearer ${WALL_TOKEN}`);
  expect(r.status).toBe(200);
  return r.text;
}

/** name{labels} → value, for the samples of one metric */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(name.length, i), Number(line.slice(i + 1)));
  }
  return out;
}
const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const count = (sql: string): number => (env.db.prepare(sql).get() as { n: number }).n;

describe('/metrics', () => {
  it.skipIf(!havePromtool)('passes promtool check metrics with no findings', async () => {
    expect(promtoolFindings(await scrape())).toBe('');
  });

  it('has counters with _total, by host, equal to the detail rows and the daily figures; keeps the daily gauges', async () => {
    const text = await scrape();
    for (const name of ['postino_lines_read_total', 'postino_lines_unparsed_total', 'postino_smtp_connections_total', 'postino_messages_received_total', 'postino_messages_delivered_total', 'postino_rejects_total', 'postino_logins_total']) {
      expect(text, name).toContain(`# TYPE ${name} counter`);
    }
    const day = dailyFigures(env.db, env.config.timezone, DATE, DATE)[0]!;
    expect(sum(samples(text, 'postino_smtp_connections_total'))).toBe(day.connections);
    expect(sum(samples(text, 'postino_messages_received_total'))).toBe(day.received);
    expect(sum(samples(text, 'postino_messages_delivered_total'))).toBe(day.delivered);
    expect(sum(samples(text, 'postino_rejects_total'))).toBe(day.rejected);
    const loginSamples = samples(text, 'postino_logins_total');
    expect(sum(loginSamples)).toBe(count(`SELECT count(*) AS n FROM logins`));
    expect([...loginSamples.entries()].filter(([k]) => k.includes('result="ok"')).reduce((a, [, v]) => a + v, 0)).toBe(day.imap_logins + day.pop3_logins);
    expect(samples(text, 'postino_smtp_connections_total').get('{host="mx2.unipi.it"}')).toBe(count(`SELECT coalesce(sum(n), 0) AS n FROM connection_tally WHERE host = 'mx2.unipi.it' AND metric = 'connect'`));
    const byClass = env.db.prepare(`SELECT host, reason_class, count(*) AS n FROM rejects WHERE action IN ('reject', 'milter-reject') GROUP BY host, reason_class`).all() as Array<{ host: string; reason_class: string; n: number }>;
    for (const r of byClass) expect(samples(text, 'postino_rejects_total').get(`{host="${r.host}",class="${r.reason_class}"}`)).toBe(r.n);
    expect(sum(samples(text, 'postino_lines_read_total'))).toBe(count(`SELECT sum(lines) AS n FROM sources`));
    expect(text).toContain('# TYPE postino_daily_figure gauge');
    expect(samples(text, 'postino_daily_figure').get('{figure="delivered",day="today"}')).toBe(day.delivered);
  });

  it('counters grow with new lines and never go down when detail rows are purged and their hours recomputed', async () => {
    const before = await scrape();
    // the same logins later, under new Dovecot session ids
    await env.ingest([...botConnections('13:30', 7, 199), ...logins('13:35').map((l) => l.replace(/session=<(\w+)>/, 'session=<$1x>'))]);
    const after = await scrape();
    expect(sum(samples(after, 'postino_smtp_connections_total')) - sum(samples(before, 'postino_smtp_connections_total'))).toBe(7);
    expect(sum(samples(after, 'postino_logins_total'))).toBeGreaterThan(sum(samples(before, 'postino_logins_total')));
    // 95 days of lines later (retention cuts back from the newest line read), every detail row
    // of the day is gone; then all its hours are recomputed, and a late line comes for one of them
    env.db.prepare(`UPDATE sources SET last_line_at = last_line_at + 95 * 86400`).run();
    purgeDetailRows(env.db, env.config, Math.floor(NOW_MS / 1000) + 95 * 86400);
    expect(count(`SELECT count(*) AS n FROM logins`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM connection_tally`)).toBe(0);
    env.db.prepare(`INSERT OR IGNORE INTO dirty_hours (bucket_at) SELECT bucket_at FROM rollup_hour`).run();
    flushRollups(env.db, env.config.timezone);
    const purged = await scrape();
    for (const name of ['postino_smtp_connections_total', 'postino_messages_received_total', 'postino_messages_delivered_total', 'postino_rejects_total', 'postino_logins_total']) {
      expect(samples(purged, name), name).toEqual(samples(after, name));
    }
    await env.ingest(botConnections('01:00', 3, 197));
    const late = await scrape();
    expect(sum(samples(late, 'postino_smtp_connections_total')) - sum(samples(after, 'postino_smtp_connections_total'))).toBe(3);
  });
});
