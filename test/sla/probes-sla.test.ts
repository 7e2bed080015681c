// Probes into the accounting, end to end: the probe runner checks a real SMTP responder on
// 127.0.0.1 (the probes' test responder); stopping the server opens an incident of smtp-in in
// computeSla, starting it again closes it, and the down time is the span between the first
// failed run and the next successful one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import { localDate } from '../../core/time/local-time';
import { ProbeRunner } from '../../server/probes/runner';
import { computeSla } from '../../sla/index';
import { probeOutages } from '../../sla/probe-outages';
import { startResponder, type Responder } from '../probes/responders';
import { probeConfig } from '../probes/probe-config';

let dir: string;
let db: Db;
let smtp: Responder;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'postino-sla-probe-'));
  db = openDb(join(dir, 'p.db'));
  smtp = await startResponder({ protocol: 'smtp' });
});
afterEach(async () => {
  await smtp.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('probe outages in the SLA', () => {
  it('a stopped SMTP server is an open smtp-in incident; started again, a closed one', async () => {
    const tz = 'Europe/Rome';
    const config = parseConfig({ timezone: tz, database: join(dir, 'p.db'), hosts: { 'mx1.unipi.it': { roles: ['mx'] } } });
    const sla = () => {
      const today = localDate(tz, Math.floor(Date.now() / 1000));
      return computeSla(db, config, { from: today, to: today }, Date.now() + 1000);
    };
    const runner = new ProbeRunner({ db, probes: [probeConfig({ name: 'smtp-mx1', type: 'smtp', host: 'mx1.unipi.it', target: smtp.target, interval_s: 0.1, timeout_s: 1 })] });
    runner.start();
    try {
      await until(() => (db.prepare(`SELECT count(*) AS n FROM probe_results WHERE ok = 1`).get() as { n: number }).n >= 2, 'two successes');
      expect(sla().incidents).toEqual([]);

      await smtp.stop();
      const downAt = Math.floor(Date.now() / 1000);
      await until(() => Math.floor(Date.now() / 1000) > downAt + 1, 'a second down');
      await until(() => sla().incidents.some((i) => i.open), 'an open incident');
      const open = sla();
      expect(open.incidents).toMatchObject([{ service: 'smtp-in', hosts: ['mx1.unipi.it'], cause: 'probe', open: true, end: null }]);
      expect(open.services.find((s) => s.service === 'smtp-in')!.downtime_s).toBeGreaterThanOrEqual(1);

      await smtp.start();
      await until(() => sla().incidents.some((i) => !i.open), 'the incident to close');
      const closed = sla();
      // the spans the probes' own outage query gives (a restart can fail a run or two more)
      const spans = probeOutages(db, 0, 2 ** 31);
      expect(spans.length).toBeGreaterThanOrEqual(1);
      const inc = closed.incidents[0]!;
      expect(inc).toMatchObject({ service: 'smtp-in', open: false, start: new Date(spans[0]!.start_at * 1000).toISOString().replace('.000Z', 'Z') });
      expect(Date.parse(inc.end!) / 1000).toBe(Math.max(...spans.map((o) => o.end_at!)));
      expect(closed.hosts.find((h) => h.host === 'mx1.unipi.it')!.downtime_s).toBe(spans.reduce((n, o) => n + o.end_at! - o.start_at, 0));
    } finally {
      await runner.stop();
    }
  });
});
