// Rejects travel and are written in groups that share most of their values (groupRejects,
// sqlite-store.ts). Whatever the log said (quotes, NUL, non-ASCII, long text, values a careless
// group key would confuse), what is read back must be exactly what was written.
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../core/db/open';
import { SqliteStore } from '../../collectors/store/sqlite-store';
import { emptyOutput, type RejectRow } from '../../collectors/correlate/records';

function reject(over: Partial<RejectRow>): RejectRow {
  return {
    at: 1_773_100_000,
    host: 'mx1.unipi.it',
    service: 'postscreen',
    action: 'reject',
    qid: null,
    messageRow: null,
    stage: 'RCPT',
    clientIp: '192.0.2.10',
    clientHost: null,
    helo: 'x',
    sender: 'a@example.org',
    recipient: 'b@unipi.it',
    code: 550,
    enhanced: '5.7.1',
    reasonClass: 'dnsbl',
    reply: 'Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org',
    greylist: false,
    ...over,
  };
}

describe('reject rows', () => {
  it('read back exactly as written, whatever their shared values hold', () => {
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'postino-rej-')), 'r.db'));
    const store = new SqliteStore(db);
    const rows: RejectRow[] = [
      reject({}),
      reject({ at: 1_773_100_001, clientIp: '192.0.2.11', sender: "o'brien@example.org" }),
      reject({ service: "post'screen", stage: "RC'PT", enhanced: null, code: null }),
      reject({ host: 'mx\u00002', reasonClass: 'café', reply: 'x'.repeat(300) }),
      reject({ host: 'h'.repeat(250), action: 'milter-reject', qid: 'ABC123', greylist: true, helo: null, sender: null }),
      reject({ service: "'); DROP TABLE rejects; --", recipient: '<script>alert(1)</script>' }),
      // shared values that a careless group key would confuse: the text "null" and no value,
      // a separator-like character inside a value
      reject({ stage: 'null' }),
      reject({ stage: null }),
      reject({ service: 'a\u0001b', action: 'c' }),
      reject({ service: 'a', action: 'b\u0001c' }),
    ];
    const out = emptyOutput();
    out.rejects.push(...rows);
    db.transaction(() => store.apply(out, '{}', null))();
    const got = db
      .prepare(
        `SELECT at, host, service, action, qid, message_row AS messageRow, stage, client_ip AS clientIp, client_host AS clientHost, helo, sender,
                recipient, code, enhanced, reason_class AS reasonClass, reply, greylist FROM rejects ORDER BY id`,
      )
      .all() as Array<Record<string, unknown>>;
    const norm = (r: RejectRow): Record<string, unknown> => ({ ...r, greylist: r.greylist ? 1 : 0 });
    expect(new Set(got.map((r) => JSON.stringify(r)))).toEqual(new Set(rows.map((r) => JSON.stringify(norm(r)))));
    expect(got).toHaveLength(rows.length);
    db.close();
  });
});
