// Each search reads rejects through an index, never by walking every reject kept (about
// 200,000 a day at the seed's scale, most of them NOQUEUE rejects without a queue id); the
// rollups count rejects and logins from their indexes alone. The plans are those of the
// statements search() and computeFigures() really run, with the parameters they run them with.
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { search } from '../../server/queries/search';
import { computeFigures } from '../../core/rollup/figures';

function withRejects(): Db {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'postino-plan-')), 'p.db'));
  const insert = db.prepare(
    `INSERT INTO rejects (at, host, service, action, qid, stage, client_ip, client_host, helo, sender, recipient, code, enhanced, reason_class, reply, greylist)
     VALUES (?, 'mx1.unipi.it', ?, 'reject', ?, 'RCPT', ?, 'unknown', 'x', ?, ?, 550, '5.7.1', 'dnsbl', 'Service unavailable', 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(1_773_100_000 + i, 'postscreen', null, `198.51.100.${i % 250}`, `s${i}@example.org`, `r${i}@unipi.it`);
    insert.run(1_773_000_000, 'cleanup', 'ABC12345DE', '192.0.2.9', 'a@example.org', 'b@unipi.it');
    insert.run(1_773_200_000, 'cleanup', 'ABC12345DE', '192.0.2.9', 'a@example.org', 'c@unipi.it');
  })();
  db.exec('ANALYZE');
  return db;
}

/**
 * What `run` returns, with the query plan of each statement it ran (by all() or get()) whose SQL
 * matches `from`, planned with the parameters it was run with. `db` must not have prepared them
 * before (a cached statement is not seen).
 */
function plansOf<T>(db: Db, from: RegExp, run: () => T): { result: T; plans: string[] } {
  const ran: Array<{ sql: string; params: unknown[] }> = [];
  const prepare = db.prepare.bind(db);
  const spy = ((sql: string) => {
    const st = prepare(sql);
    if (!from.test(sql)) return st;
    const all = st.all.bind(st);
    const get = st.get.bind(st);
    st.all = ((...params: unknown[]) => {
      ran.push({ sql, params });
      return all(...params);
    }) as typeof st.all;
    st.get = ((...params: unknown[]) => {
      ran.push({ sql, params });
      return get(...params);
    }) as typeof st.get;
    return st;
  }) as Db['prepare'];
  db.prepare = spy;
  let result: T;
  try {
    result = run();
  } finally {
    db.prepare = prepare;
  }
  const plans = ran.map(({ sql, params }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | '),
  );
  return { result, plans };
}

const searchPlans = (db: Db, q: string) => {
  const { result, plans } = plansOf(db, /FROM rejects/, () => search(db, q, null, 1).rejects.length);
  return { found: result, plans };
};

describe('search plans over rejects', () => {
  it('finds rejects by queue id, client IP and address through their own indexes', () => {
    const db = withRejects();
    const byQid = searchPlans(db, 'ABC12345DE');
    expect(byQid.found).toBe(2);
    expect(byQid.plans).toHaveLength(1);
    expect(byQid.plans[0]).toMatch(/USING INDEX rejects_qid/);

    const byIp = searchPlans(db, '198.51.100.7');
    expect(byIp.found).toBe(12);
    expect(byIp.plans[0]).toMatch(/USING INDEX rejects_client_ip/);

    const byAddress = searchPlans(db, 'S7@EXAMPLE.ORG');
    expect(byAddress.found).toBe(1);
    expect(byAddress.plans[0]).toMatch(/rejects_sender_lower/);
    expect(byAddress.plans[0]).toMatch(/rejects_recipient_lower/);
    db.close();
  });
});

describe('rollup plans', () => {
  it('counts rejects and logins from their covering indexes, without reading the tables', () => {
    const db = withRejects();
    const login = db.prepare(`INSERT INTO logins (at, host, protocol, username, success) VALUES (?, 'imap1', ?, ?, ?)`);
    for (let i = 0; i < 50; i++) login.run(1_773_100_000 + i, i % 2 ? 'imap' : 'pop3', `User${i % 7}`, i % 5 ? 1 : 0);
    const { result, plans } = plansOf(db, /FROM (rejects|logins)/, () => computeFigures(db, 1_773_000_000, 1_773_300_000));
    expect(result.rejected).toBe(3002);
    expect(result.unique_users).toBe(7);
    expect(plans).toHaveLength(2);
    expect(plans).toEqual([expect.stringMatching(/^SEARCH rejects USING COVERING INDEX rejects_at \(at>\? AND at<\?\)$/), expect.stringMatching(/SEARCH logins USING COVERING INDEX logins_at \(at>\? AND at<\?\)/)]);
    db.close();
  });
});
