// Retention purge of detail rows keeps the rollups; the jobs table names its schedules.
import { describe, it, expect } from 'vitest';
import { makeEnv } from '../helpers/env';
import { baseDay, DATE, NOW_MS } from '../helpers/lines';
import { purgeDetailRows } from '../../server/retention';
import { jobs } from '../../server/scheduler/scheduler';
import { dailyFigures } from '../../core/rollup/rollup';

describe('scheduler', () => {
  it('purges detail rows past their retention, rollups stay', async () => {
    const env = await makeEnv(baseDay());
    const before = dailyFigures(env.db, 'Europe/Rome', DATE, DATE)[0]!;
    const count = (t: string): number => (env.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    // within retention: nothing goes
    linesReadUpTo(env.db, Math.floor(NOW_MS / 1000));
    expect(purgeDetailRows(env.db, env.config, Math.floor(NOW_MS / 1000))).toMatchObject({ connections: 0, messages: 0, logins: 0 });
    expect(count('messages')).toBe(2);
    // 15 days later connections (14 days) go, messages (90 days) stay
    env.db.prepare(`INSERT INTO connections (at, host, kind, client_ip, outcome, counted) VALUES (?, 'mx1', 'smtpd', '192.0.2.1', 'disconnect', 1)`).run(Math.floor(NOW_MS / 1000) - 3600);
    linesReadUpTo(env.db, Math.floor(NOW_MS / 1000) + 15 * 86400);
    const r15 = purgeDetailRows(env.db, env.config, Math.floor(NOW_MS / 1000) + 15 * 86400);
    expect(r15.connections).toBeGreaterThan(0);
    expect(count('connections')).toBe(0);
    expect(count('messages')).toBe(2);
    // 91 days later everything goes, including the re-injected child and its lines
    linesReadUpTo(env.db, Math.floor(NOW_MS / 1000) + 91 * 86400);
    const r91 = purgeDetailRows(env.db, env.config, Math.floor(NOW_MS / 1000) + 91 * 86400);
    expect(r91.messages).toBe(2);
    expect(count('message_lines')).toBe(0);
    expect(count('logins')).toBe(0);
    expect(count('rejects')).toBe(0);
    expect(dailyFigures(env.db, 'Europe/Rome', DATE, DATE)[0]).toEqual(before);
    env.close();
  });

  it('flushes rollups every minute and purges daily', async () => {
    const env = await makeEnv();
    const j = jobs({ db: env.db, config: env.config });
    expect(j.map((x) => [x.name, x.schedule])).toEqual([
      ['rollup', '* * * * *'],
      ['signals', '*/5 * * * *'],
      ['retention', '30 3 * * *'],
      ['monthly-report', '0 6 1 * *'],
    ]);
    env.db.prepare(`INSERT INTO dirty_hours (bucket_at) VALUES (?)`).run(1796000400);
    expect((env.db.prepare(`SELECT count(*) AS n FROM geo_dirty_hours`).get() as { n: number }).n).toBe(1);
    await j[0]!.run();
    expect((env.db.prepare(`SELECT count(*) AS n FROM dirty_hours`).get() as { n: number }).n).toBe(0);
    // the country days of that hour were recomputed too
    expect((env.db.prepare(`SELECT count(*) AS n FROM geo_dirty_hours`).get() as { n: number }).n).toBe(0);
    env.close();
  });
});

/** Lines read up to `t` plus the correlation window (72 h): retention measures back from there. */
function linesReadUpTo(db: import('better-sqlite3').Database, t: number): void {
  if (db.prepare(`SELECT count(*) FROM sources`).pluck().get() === 0) db.prepare(`INSERT INTO sources (kind, path, updated_at) VALUES ('file', 'test', 0)`).run();
  db.prepare(`UPDATE sources SET last_line_at = ?`).run(t + 72 * 3600);
}
