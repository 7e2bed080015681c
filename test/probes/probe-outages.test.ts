// probeOutages over hand-written probe_results rows in a real SQLite file: a failure opens an
// outage, the next success closes it; spans are whole (not clipped to the window); an outage
// in progress at the window's start keeps its real start; one still failing has no end.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { probeOutages } from '../../sla/probe-outages';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'postino-outages-'));
  db = openDb(join(dir, 'p.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One row per character of `pattern` ('+' success, '-' failure), 10 s apart from `t0`. */
function runs(probe: string, t0: number, pattern: string, host = 'mx1', service = 'smtp-in'): void {
  const ins = db.prepare(`INSERT INTO probe_results (at, probe, host, service, ok, latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  [...pattern].forEach((c, i) => ins.run(t0 + i * 10, probe, host, service, c === '+' ? 1 : 0, c === '+' ? 5 : null, c === '+' ? '' : `fail at ${t0 + i * 10}`));
}

describe('probeOutages', () => {
  it('turns failure streaks into spans from the first failure to the next success', () => {
    runs('smtp-mx1', 1000, '++---++-+++');
    expect(probeOutages(db, 0, 10_000)).toEqual([
      { probe: 'smtp-mx1', host: 'mx1', service: 'smtp-in', start_at: 1020, end_at: 1050, detail: 'fail at 1020', last_fail_at: 1040, failures: 3 },
      { probe: 'smtp-mx1', host: 'mx1', service: 'smtp-in', start_at: 1070, end_at: 1080, detail: 'fail at 1070', last_fail_at: 1070, failures: 1 },
    ]);
  });

  it('keeps the real start of an outage in progress at the window start, and its real end after the window', () => {
    runs('imap-a', 1000, '+----++');
    // window [1025, 1035) lies inside the outage 1010..1050
    expect(probeOutages(db, 1025, 1035)).toEqual([{ probe: 'imap-a', host: 'mx1', service: 'smtp-in', start_at: 1010, end_at: 1050, detail: 'fail at 1010', last_fail_at: 1040, failures: 4 }]);
  });

  it('leaves an outage open (end_at null) while no success has come', () => {
    runs('pop-a', 1000, '++--');
    expect(probeOutages(db, 0, 10_000)).toMatchObject([{ start_at: 1020, end_at: null, failures: 2, last_fail_at: 1030 }]);
  });

  it('leaves out outages that end at or before the window start or start at or after its end', () => {
    runs('smtp-mx1', 1000, '+-+++-+');
    expect(probeOutages(db, 1020, 1050)).toEqual([]);
    expect(probeOutages(db, 1019, 1050).map((o) => o.start_at)).toEqual([1010]);
    expect(probeOutages(db, 1020, 1051).map((o) => o.start_at)).toEqual([1050]);
  });

  it('keeps probes apart and orders by start', () => {
    runs('b-probe', 1000, '+-+', 'mbox1', 'imap');
    runs('a-probe', 1005, '--+', 'mbox2', 'pop3');
    expect(probeOutages(db, 0, 10_000).map((o) => [o.probe, o.host, o.service, o.start_at, o.end_at])).toEqual([
      ['a-probe', 'mbox2', 'pop3', 1005, 1025],
      ['b-probe', 'mbox1', 'imap', 1010, 1020],
    ]);
  });

  it('orders runs of the same second by insertion (sub-second intervals)', () => {
    const ins = db.prepare(`INSERT INTO probe_results (at, probe, host, service, ok, detail) VALUES (?, 'p', 'h', 'imap', ?, '')`);
    for (const [at, ok] of [[100, 1], [101, 0], [101, 0], [101, 1], [102, 1]] as const) ins.run(at, ok);
    expect(probeOutages(db, 0, 1000)).toMatchObject([{ start_at: 101, end_at: 101, failures: 2 }]);
  });

  it('answers nothing on an empty table', () => {
    expect(probeOutages(db, 0, 10_000)).toEqual([]);
  });
});
