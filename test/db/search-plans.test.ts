// Each search reads rejects through an index, never by walking every reject kept (about
// 200,000 a day at the seed's scale, most of them NOQUEUE rejects without a queue id). The
// plans are those of the statements search() really runs, with the parameters it runs them with.
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../server/db/open';
import { search } from '../../server/queries/search';

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
 * search() on `db`, with the query plan of each statement it ran that reads rejects, planned with
 * the parameters it was run with.
 */
function plansOf(db: Db, q: string): { found: number; plans: string[] } {
  const ran: Array<{ sql: string; params: unknown[] }> = [];
  const prepare = db.prepare.bind(db);
  const spy = ((sql: string) => {
    const st = prepare(sql);
    if (!/FROM rejects/.test(sql)) return st;
    const all = st.all.bind(st);
    st.all = ((...params: unknown[]) => {
      ran.push({ sql, params });
      return all(...params);
    }) as typeof st.all;
    return st;
  }) as Db['prepare'];
  db.prepare = spy;
  let found: number;
  try {
    found = search(db, q, null, 1).rejects.length;
  } finally {
    db.prepare = prepare;
  }
  const plans = ran.map(({ sql, params }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | '),
  );
  return { found, plans };
}

describe('search plans over rejects', () => {
  it('finds rejects by queue id, client IP and address through their own indexes', () => {
    const db = withRejects();
    const byQid = plansOf(db, 'ABC12345DE');
    expect(byQid.found).toBe(2);
    expect(byQid.plans).toHaveLength(1);
    expect(byQid.plans[0]).toMatch(/USING INDEX rejects_qid/);

    const byIp = plansOf(db, '198.51.100.7');
    expect(byIp.found).toBe(12);
    expect(byIp.plans[0]).toMatch(/USING INDEX rejects_client_ip/);

    const byAddress = plansOf(db, 'S7@EXAMPLE.ORG');
    expect(byAddress.found).toBe(1);
    expect(byAddress.plans[0]).toMatch(/rejects_sender_lower/);
    expect(byAddress.plans[0]).toMatch(/rejects_recipient_lower/);
    db.close();
  });
});
