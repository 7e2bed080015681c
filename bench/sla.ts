// `postino sla` over a year: a year of the availability raw material, synthesised straight
// into SQLite (10 hosts' minutes of activity with a monthly 2-hour gap and weekly quiet spells,
// restarts and refusal bursts in service_events, four probes a minute with a failure a day,
// a week of detail rows to learn the roles from), then computeSla in process and the
// command line as a user runs it. Prints figures; asserts nothing. The database is cached in
// bench-data/ (delete it to rebuild). Run: npx tsx bench/sla.ts
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openDb, type Db } from '../core/db/open';
import { parseConfig } from '../core/config/load';
import { dayBounds, shiftDate } from '../core/time/local-time';
import { computeSla } from '../sla/index';

const TZ = 'Europe/Rome';
const LAST_DAY = '2026-03-10';
const FIRST_DAY = shiftDate(LAST_DAY, -364);
const MX = ['mx1', 'mx2', 'mx3', 'mx4'].map((h) => `${h}.unipi.it`);
const RELAYS = ['smtp-out1.unipi.it', 'smtp-out2.unipi.it'];
const PROXIES = ['imap1.unipi.it', 'imap2.unipi.it'];
const MBOX = ['mbox1.unipi.it', 'mbox2.unipi.it'];
const HOSTS = [...MX, ...RELAYS, ...PROXIES, ...MBOX];
const FULL = 2 ** 30 - 1;

function build(db: Db): void {
  const [start] = dayBounds(TZ, FIRST_DAY);
  const [, end] = dayBounds(TZ, LAST_DAY);
  const act = db.prepare(`INSERT INTO host_activity (hour_at, host, lo, hi) VALUES (?, ?, ?, ?)`);
  const ev = db.prepare(`INSERT INTO service_events (at, host, daemon, event, target, port, line) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const probe = db.prepare(`INSERT INTO probe_results (at, probe, host, service, ok, latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let h = start; h < end; h += 3600) {
      const day = Math.floor((h - start) / 86_400);
      const hourOfDay = Math.floor(((h - start) % 86_400) / 3600);
      if (day % 30 === 7 && (hourOfDay === 2 || hourOfDay === 3)) continue; // the log feed down: unknown
      for (const [i, host] of HOSTS.entries()) {
        // once a week a host falls quiet from :00 to :40 (40 min) while the others log
        const quiet = day % 7 === i % 7 && hourOfDay === 11 + (i % 5);
        act.run(h, host, quiet ? 0 : FULL, quiet ? FULL & ~(2 ** 10 - 1) : FULL);
      }
    }
    for (let d = 0; d < 365; d++) {
      const t = start + d * 86_400 + 4 * 3600;
      // a restart of one daemon somewhere every day, 30 s to 10 min
      const host = HOSTS[d % HOSTS.length]!;
      const daemon = MX.includes(host) || RELAYS.includes(host) ? (d % 3 === 0 ? 'amavis' : 'postfix') : 'dovecot';
      ev.run(t, host, daemon, 'stop', null, null, `${daemon} stop line`);
      ev.run(t + 30 + (d % 20) * 30, host, daemon, 'start', null, null, `${daemon} start line`);
      // a weekly burst of LMTP refusals to a mailbox server
      if (d % 7 === 3) for (let k = 0; k < 20; k++) ev.run(t + 7200 + k * 10, MX[k % 4]!, 'postfix', 'refused', 'mbox2.unipi.it', 24, `connect to mbox2.unipi.it[10.1.0.12]:24: Connection refused`);
    }
    const probes: Array<[string, string, string]> = [
      ['smtp-mx1', MX[0]!, 'smtp-in'],
      ['imap1', PROXIES[0]!, 'imap'],
      ['pop3-1', PROXIES[0]!, 'pop3'],
      ['webmail', 'webmail.unipi.it', 'webmail'],
    ];
    for (let t = start; t < end; t += 60) {
      const failing = (t - start) % 86_400 < 120 && Math.floor((t - start) / 86_400) % 2 === 0; // 2 min every other day
      for (const [name, host, service] of probes) probe.run(t, name, host, service, failing && name === 'imap1' ? 0 : 1, 12, failing && name === 'imap1' ? 'connect ECONNREFUSED' : '');
    }
    // a week of detail rows, for the roles learned from the logs
    const tally = db.prepare(`INSERT INTO connection_tally (minute_at, host, metric, n) VALUES (?, ?, 'connect', 10)`);
    for (let m = end - 7 * 86_400; m < end; m += 60) for (const h of MX) tally.run(m, h);
    const del = db.prepare(`INSERT INTO deliveries (at, host, agent, recipient, relay, status, reply, hop) VALUES (?, ?, 'lmtp', ?, ?, 'sent', '250 2.0.0 Saved', 'mailbox')`);
    const login = db.prepare(`INSERT INTO logins (at, host, protocol, username, success, lip) VALUES (?, ?, 'imap', ?, 1, ?)`);
    for (let i = 0; i < 20_000; i++) {
      const mb = i % 2;
      del.run(end - 7 * 86_400 + i * 30, MX[i % 4]!, `user${i % 8000}@unipi.it`, `${MBOX[mb]}[10.1.0.${11 + mb}]:24`);
      login.run(end - 7 * 86_400 + i * 30, i % 3 === 0 ? PROXIES[i % 2]! : MBOX[mb]!, `user${i % 8000}@unipi.it`, `10.1.0.${11 + (i % 2)}`);
    }
  })();
}

const dir = join(process.cwd(), 'bench-data');
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, 'sla-year.db');
if (!existsSync(dbPath)) {
  process.stdout.write(`synthesising a year of availability data into ${dbPath} ...\n`);
  const t0 = Date.now();
  const tmp = `${dbPath}.tmp`;
  rmSync(tmp, { force: true });
  const db = openDb(tmp);
  build(db);
  db.close();
  renameSync(tmp, dbPath);
  process.stdout.write(`  built in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const db = openDb(dbPath);
const config = parseConfig({ timezone: TZ, database: dbPath });
const counts = Object.fromEntries(['host_activity', 'service_events', 'probe_results'].map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
process.stdout.write(`rows: ${JSON.stringify(counts)}\n`);
const now = dayBounds(TZ, LAST_DAY)[1] * 1000;
const times: number[] = [];
let incidents = 0;
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  const r = computeSla(db, config, { from: FIRST_DAY, to: LAST_DAY }, now);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  incidents = r.incidents.length;
}
db.close();
times.sort((a, b) => a - b);
process.stdout.write(`computeSla ${FIRST_DAY}..${LAST_DAY} (${incidents} incidents): min ${times[0]!.toFixed(0)} ms, median ${times[2]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms\n`);

const cli: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bin/postino.mjs', 'sla', '--db', dbPath, '--tz', TZ, '--from', FIRST_DAY, '--to', LAST_DAY, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  cli.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status !== 0) throw new Error(`postino sla failed: ${r.stderr}`);
}
cli.sort((a, b) => a - b);
process.stdout.write(`postino sla --json over the year (whole process, start-up included): min ${cli[0]!.toFixed(0)} ms, median ${cli[1]!.toFixed(0)} ms\n`);
