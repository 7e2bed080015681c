// The runner against real responders on 127.0.0.1: stopping a server makes the probe fail and
// opens an outage in probe_results; starting it again closes it. A probe never overlaps
// itself, even when its timeout is longer than its interval. Stopping the runner stores no
// result for the run it cut short.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { ProbeRunner } from '../../server/probes/runner';
import { probeOutages } from '../../sla/probe-outages';
import { startResponder, type Responder } from './responders';
import { probeConfig } from './probe-config';

let dir: string;
let db: Db;
const responders: Responder[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'postino-runner-'));
  db = openDb(join(dir, 'p.db'));
});
afterEach(async () => {
  for (const r of responders.splice(0)) await r.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  id: number;
  at: number;
  probe: string;
  ok: number;
  detail: string;
}
const rows = (): Row[] => db.prepare(`SELECT id, at, probe, ok, detail FROM probe_results ORDER BY id`).all() as Row[];

async function until(cond: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('probe runner', () => {
  it('a stopped SMTP server opens an outage, starting it again closes it', async () => {
    const smtp = await startResponder({ protocol: 'smtp' });
    const imap = await startResponder({ protocol: 'imap', users: { probe: 'pw-of-probe' } });
    responders.push(smtp, imap);
    const runner = new ProbeRunner({
      db,
      probes: [
        probeConfig({ name: 'smtp-mx1', type: 'smtp', host: 'mx1.unipi.it', target: smtp.target, interval_s: 0.1, timeout_s: 1 }),
        probeConfig({ name: 'imap-proxy1', type: 'imap', host: 'imap1.unipi.it', target: imap.target, interval_s: 0.1, timeout_s: 1, login: { user: 'probe', password: 'pw-of-probe' } }),
      ],
    });
    runner.start();
    try {
      await until(() => rows().filter((r) => r.probe === 'smtp-mx1' && r.ok).length >= 2, 'two successes');
      expect(probeOutages(db, 0, 2 ** 31)).toEqual([]);

      await smtp.stop();
      // hold it down across a second boundary so the outage has a length in whole seconds
      const downAt = Math.floor(Date.now() / 1000);
      await until(() => Math.floor(Date.now() / 1000) > downAt + 1 && rows().some((r) => !r.ok), 'failures for over a second');
      const open = probeOutages(db, 0, 2 ** 31);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ probe: 'smtp-mx1', host: 'mx1.unipi.it', service: 'smtp-in', end_at: null });
      expect(open[0]!.detail).toMatch(/^ECONNREFUSED/);

      await smtp.start(); // same port
      const restartedAt = Math.floor(Date.now() / 1000);
      await until(() => probeOutages(db, 0, 2 ** 31)[0]?.end_at != null, 'the outage to close');
      const [closed] = probeOutages(db, 0, 2 ** 31);
      const smtpRows = rows().filter((r) => r.probe === 'smtp-mx1');
      const firstFail = smtpRows.find((r) => !r.ok)!;
      const firstOkAfter = smtpRows.find((r) => r.ok && r.id > firstFail.id)!;
      expect(closed).toMatchObject({ start_at: firstFail.at, end_at: firstOkAfter.at });
      expect(closed!.start_at).toBeGreaterThanOrEqual(downAt);
      expect(closed!.end_at! - closed!.start_at).toBeGreaterThanOrEqual(1);
      expect(closed!.end_at!).toBeGreaterThanOrEqual(restartedAt);
      // the IMAP probe, whose server never stopped, has no outage and logged in every time
      expect(rows().filter((r) => r.probe === 'imap-proxy1').every((r) => r.ok === 1)).toBe(true);
      expect(imap.events.filter((e) => e.includes('LOGIN')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await runner.stop();
    }
  });

  it('never overlaps a probe with itself when its timeout exceeds its interval', async () => {
    const hung = await startResponder({ protocol: 'smtp', silent: true });
    responders.push(hung);
    const runner = new ProbeRunner({ db, probes: [probeConfig({ name: 'slow', type: 'smtp', target: hung.target, interval_s: 0.05, timeout_s: 0.25 })] });
    runner.start();
    try {
      await until(() => rows().length >= 3, 'three timed-out runs');
    } finally {
      await runner.stop();
    }
    // each run starts only once the one before has timed out: connections come at least a
    // timeout apart, never at the 0.05 s interval (the server may see a closed connection's end
    // after the next one's start, so its count of open connections is no proof either way)
    const gaps = hung.acceptedAt.slice(1).map((t, i) => t - hung.acceptedAt[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(240);
    expect(rows().every((r) => r.detail === 'timeout after 0.25 s')).toBe(true);
    // the run in flight at stop() was dropped: every connection but that one has its row
    expect(hung.connections - rows().length).toBeLessThanOrEqual(1);
  });

  it('stop() ends a run in flight without storing a failure', async () => {
    const hung = await startResponder({ protocol: 'smtp', silent: true });
    responders.push(hung);
    const runner = new ProbeRunner({ db, probes: [probeConfig({ name: 'slow', type: 'smtp', target: hung.target, interval_s: 10, timeout_s: 30 })] });
    runner.start();
    await until(() => hung.connections === 1, 'the connection');
    const t0 = Date.now();
    await runner.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(rows()).toEqual([]);
  });
});
