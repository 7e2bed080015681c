// The saved correlator state carries a version: a state of this version is taken up where the
// last commit left it (an open message goes on), one of another version is dropped whole, with a
// line saying so, and the ingest goes on with no open records. Real lines (the amavis flow of
// test/correlate/correlator.test.ts, from the corpus), a real SQLite file, the real pipeline.
import { describe, expect, it, vi, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import { Pipeline } from '../../collectors/pipeline';
import { yearFromStart } from '../../collectors/parse/year';
import { CORRELATOR_STATE_VERSION, parseCorrelatorState } from '../../collectors/correlate/correlator-state';

// An inbound message through Amavis (the re-injected copy delivered locally), split in two batches.
const flow = [
  'May 27 16:01:36 host postfix/smtpd[795]: 97EC7106505: client=mx.example.net[198.51.100.7]',
  'May 27 16:01:36 host postfix/cleanup[798]: 97EC7106505: message-id=<20150527090136.97EC7106505@host.example.com>',
  'May 27 16:01:36 host postfix/qmgr[686]: 97EC7106505: from=<aaa@xxx.com>, size=320, nrcpt=1 (queue active)',
  'May 27 16:01:50 host postfix/smtpd[803]: 38B0910650A: client=localhost[127.0.0.1]',
  'May 27 16:01:50 host postfix/cleanup[798]: 38B0910650A: message-id=<20150527090136.97EC7106505@host.example.com>',
  'May 27 16:01:50 host postfix/qmgr[686]: 38B0910650A: from=<aaa@xxx.com>, size=936, nrcpt=1 (queue active)',
  'May 27 16:01:51 host postfix/local[804]: 38B0910650A: to=<user3@example.com>, relay=local, delay=1.5, delays=0.47/0.51/0/0.55, dsn=2.0.0, status=sent (delivered to mailbox)',
  'May 27 16:01:51 host postfix/qmgr[686]: 38B0910650A: removed',
  'May 27 16:01:52 host postfix/smtp[799]: 97EC7106505: to=<user3@example.com>, orig_to=<test@example.com>, relay=127.0.0.1[127.0.0.1]:10024, delay=16, delays=0.02/0.01/0.93/15, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 38B0910650A)',
  'May 27 16:01:52 host postfix/qmgr[686]: 97EC7106505: removed',
];
const ctx = { tz: 'Europe/Rome', year: yearFromStart(2015) };

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newDb(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'postino-state-'));
  dirs.push(dir);
  const path = join(dir, 'postino.db');
  return { db: openDb(path), path };
}

function pipeline(db: Db, path: string): Pipeline {
  return new Pipeline(db, parseConfig({ timezone: 'Europe/Rome', database: path }));
}

function savedState(db: Db): Record<string, unknown> {
  return JSON.parse((db.prepare(`SELECT state FROM correlator_state WHERE id = 1`).get() as { state: string }).state) as Record<string, unknown>;
}

function messages(db: Db): Array<{ qid: string; delivered_at: number | null; status: string | null }> {
  return db.prepare(`SELECT qid, delivered_at, status FROM messages ORDER BY id`).all() as Array<{ qid: string; delivered_at: number | null; status: string | null }>;
}

describe('the saved correlator state', () => {
  it('is written with the current version and taken up by the next pipeline: the open message goes on', () => {
    const { db, path } = newDb();
    pipeline(db, path).ingestLines(flow.slice(0, 4), ctx, null);
    expect(savedState(db).version).toBe(CORRELATOR_STATE_VERSION);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    pipeline(db, path).ingestLines(flow.slice(4), ctx, null);
    expect(stderr).not.toHaveBeenCalled();
    // one row per queue id; the original is delivered (through its copy) once
    const rows = messages(db);
    expect(rows.map((r) => r.qid)).toEqual(['97EC7106505', '38B0910650A']);
    expect(rows[0]!.delivered_at).toBe(Date.UTC(2015, 4, 27, 14, 1, 51) / 1000);
    db.close();
  });

  it('of another version is dropped with a clear line, and the ingest goes on without its open records', () => {
    const { db, path } = newDb();
    pipeline(db, path).ingestLines(flow.slice(0, 4), ctx, null);
    // what an earlier postino wrote: version 1, without the fields it did not know yet
    const old = savedState(db);
    old.version = 1;
    delete old.awaitingLink;
    delete old.lmtpSaved;
    db.prepare(`UPDATE correlator_state SET state = ? WHERE id = 1`).run(JSON.stringify(old));
    const said: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      said.push(String(s));
      return true;
    });
    pipeline(db, path).ingestLines(flow.slice(4), ctx, null);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/correlator state has version 1, this postino reads version \d+: dropped/);
    // the open records were forgotten: the rest of the message is a record of its own
    expect(messages(db).map((r) => r.qid)).toEqual(['97EC7106505', '38B0910650A', '38B0910650A', '97EC7106505']);
    expect(savedState(db).version).toBe(CORRELATOR_STATE_VERSION);
    db.close();
  });

  it('that is no state at all, or has no version, is dropped too', () => {
    for (const [json, why] of [
      ['{"nextMessageId": 3}', /version null/],
      ['[1, 2]', /version null/],
      ['not json', /not JSON/],
      [JSON.stringify({ version: CORRELATOR_STATE_VERSION + 1 }), new RegExp(`version ${CORRELATOR_STATE_VERSION + 1}`)],
    ] as const) {
      const said: string[] = [];
      expect(parseCorrelatorState(json, (w) => said.push(w))).toBeNull();
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(why);
    }
  });
});
