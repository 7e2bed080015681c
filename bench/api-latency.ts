// API latency: 400 days of rollups and 90 days of seed-scale message rows (20,500 messages a
// day, each a family of an inbound queue-id life and its re-injected child, with deliveries,
// verdicts and 8 trace lines), synthesised straight into SQLite; then p50/p95 of /api/summary
// over 400 days, /api/search and /api/trace over real HTTP on 127.0.0.1.
// The database is cached in bench-data/ (delete it to rebuild). BENCH_API_DAYS scales it down.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDb, type Db } from '../core/db/open';
import { parseConfig } from '../core/config/load';
import { createApp } from '../server/http/app';
import { hashPassword } from '../server/http/passwords';
import { figureNames } from '../core/rollup/figures';
import { dayBounds } from '../core/time/local-time';
import { Rng } from '../collectors/generate/prng';
import { shiftDate } from '../core/time/local-time';

const TZ = 'Europe/Rome';
const MESSAGES_PER_DAY = 20_500;
const ROLLUP_DAYS = 400;
const DETAIL_DAYS = Number(process.env.BENCH_API_DAYS ?? '90');
const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? '200');
const LAST_DAY = '2026-03-10';


/** The generator's deterministic PRNG, as a plain function. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const HEX = '0123456789ABCDEF';
function qidOf(r: () => number): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += HEX[Math.floor(r() * 16)];
  return s;
}

export function mailbox(i: number): string {
  return `user${i}@unipi.it`;
}

function synthesise(db: Db, log: (m: string) => void): void {
  const r = rng(42);
  const now = Math.floor(Date.now() / 1000);
  const upDay = db.prepare(`INSERT OR REPLACE INTO rollup_day (tz, date, figures, computed_at) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = ROLLUP_DAYS - 1; i >= 0; i--) {
      const f = Object.fromEntries(figureNames.map((n) => [n, Math.floor(r() * 1_000_000)]));
      upDay.run(TZ, shiftDate(LAST_DAY, -i), JSON.stringify(f), now);
    }
  })();
  const msg = db.prepare(
    `INSERT INTO messages (id, host, qid, first_at, removed_at, origin, parent_id, root_id, client_ip, client_host, sender, size_bytes, nrcpt, message_id, received_at, delivered_at, verdict, spam_score, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  const dlv = db.prepare(`INSERT INTO deliveries (at, host, message_row, agent, recipient, relay, status, dsn, delay_ms, reply, hop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const ver = db.prepare(`INSERT INTO verdicts (at, host, message_row, qid, action, verdict, originating, hits, size_bytes, message_id, client_ip, sender, recipients, queued_as, category) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const lineGroup = db.prepare(`INSERT INTO message_line_groups (message_row, lines) VALUES (?, ?)`);
  let id = 1;
  const t0 = Date.now();
  for (let d = DETAIL_DAYS - 1; d >= 0; d--) {
    const date = shiftDate(LAST_DAY, -d);
    const [start, end] = dayBounds(TZ, date);
    db.transaction(() => {
      for (let k = 0; k < MESSAGES_PER_DAY; k++) {
        const at = start + Math.floor(((end - start) * k) / MESSAGES_PER_DAY);
        const host = `mx${1 + (k % 4)}.unipi.it`;
        const qid = qidOf(r);
        const child = qidOf(r);
        const ip = `${1 + Math.floor(r() * 223)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
        const sender = `sender${Math.floor(r() * 200_000)}@example.org`;
        const rcpt = mailbox(Math.floor(r() * 6000));
        const mid = `${qid}.${k}@example.org`;
        const spam = r() < 0.22;
        const root = id++;
        const kid = id++;
        msg.run(root, host, qid, at, at + 3, 'inbound', null, root, ip, 'mail.example.org', sender, 20_000, `<${mid}>`, at + 1, spam ? null : at + 3, spam ? 'SPAM' : 'CLEAN', spam ? 12.5 : 1.2, spam ? 'blocked' : 'delivered');
        msg.run(kid, host, child, at + 2, at + 3, 'reinjected', root, root, '127.0.0.1', 'localhost', sender, 21_000, `<${mid}>`, null, null, null, null, spam ? 'removed' : 'delivered');
        dlv.run(at + 2, host, root, 'smtp', rcpt, '127.0.0.1[127.0.0.1]:10024', 'sent', '2.0.0', 2300, `250 2.0.0 Ok: queued as ${child}`, 'filter');
        if (!spam) dlv.run(at + 3, host, kid, 'lmtp', rcpt, 'mbox1.unipi.it[10.1.0.11]:24', 'sent', '2.0.0', 400, `250 2.0.0 <${rcpt}> Saved`, 'mailbox');
        ver.run(at + 2, host, root, qid, spam ? 'Blocked' : 'Passed', spam ? 'SPAM' : 'CLEAN', spam ? 12.5 : 1.2, 20_000, `<${mid}>`, ip, sender, `<${rcpt}>`, spam ? null : child, spam ? 'spam_blocked' : 'clean');
        const texts: Array<[number, number, string, string]> = [
          [root, at, 'postfix/smtpd', `${qid}: client=mail.example.org[${ip}]`],
          [root, at, 'postfix/cleanup', `${qid}: message-id=<${mid}>`],
          [root, at + 1, 'postfix/qmgr', `${qid}: from=<${sender}>, size=20000, nrcpt=1 (queue active)`],
          [root, at + 2, 'amavis', `(1234-01) ${spam ? 'Blocked SPAM' : 'Passed CLEAN'} {RelayedInbound}, [${ip}] <${sender}> -> <${rcpt}>, Queue-ID: ${qid}, Hits: 1.2`],
          [root, at + 2, 'postfix/smtp', `${qid}: to=<${rcpt}>, relay=127.0.0.1[127.0.0.1]:10024, status=sent (250 2.0.0 Ok: queued as ${child})`],
          [kid, at + 2, 'postfix/smtpd', `${child}: client=localhost[127.0.0.1]`],
          [kid, at + 3, 'postfix/lmtp', `${child}: to=<${rcpt}>, relay=mbox1.unipi.it[10.1.0.11]:24, status=sent (250 2.0.0 Saved)`],
          [kid, at + 3, 'postfix/qmgr', `${child}: removed`],
        ];
        // as the store writes them: one group per message, lines as [at, host, program, text]
        for (const row of [root, kid]) lineGroup.run(row, JSON.stringify(texts.filter((l) => l[0] === row).map(([, t, prog, text]) => [t, host, prog, text])));
      }
    })();
    if (d % 10 === 0) log(`  synthesised ${DETAIL_DAYS - d} of ${DETAIL_DAYS} days (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  db.exec('ANALYZE');
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function time(n: number, make: (i: number) => string, headers: Record<string, string>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const url = make(i);
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    const dt = performance.now() - t0;
    if (res.status !== 200 && res.status !== 404) throw new Error(`${url}: HTTP ${res.status}`);
    if (i >= 10) ms.push(dt); // first 10: warm-up
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

export async function benchApi(log: (m: string) => void = (m) => process.stdout.write(m + '\n')): Promise<{ summaryP95Ms: number; searchP95Ms: number; traceP95Ms: number }> {
  const dir = join(process.cwd(), 'bench-data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `api-${DETAIL_DAYS}d.db`);
  if (!existsSync(path)) {
    log(`api bench: synthesising ${ROLLUP_DAYS} days of rollups and ${DETAIL_DAYS} days x ${MESSAGES_PER_DAY.toLocaleString('en-US')} messages into ${path} (once; cached)`);
    const tmp = `${path}.tmp`;
    rmSync(tmp, { force: true });
    const db = openDb(tmp);
    db.pragma('synchronous = OFF');
    synthesise(db, log);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(tmp, path);
  }
  const db = openDb(path);
  const password = 'bench-operator-pw';
  const config = parseConfig({ timezone: TZ, database: path, demo: false, users: [{ name: 'op', role: 'operator', password: hashPassword(password) }] });
  const app = createApp({ db, config, now: () => Date.parse(`${LAST_DAY}T12:00:00Z`) });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const login = await fetch(`${base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'op', password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const headers = { Cookie: cookie };
    const maxId = (db.prepare(`SELECT max(id) AS m FROM messages`).get() as { m: number }).m;
    const samples = db.prepare(`SELECT qid, sender, message_id, client_ip FROM messages WHERE origin = 'inbound' AND id % 997 = 1 LIMIT ?`).all(REQUESTS + 10) as Array<{
      qid: string;
      sender: string;
      message_id: string;
      client_ip: string;
    }>;
    const r = rng(7);
    const from = shiftDate(LAST_DAY, -(ROLLUP_DAYS - 1));
    const summary = await time(REQUESTS, () => `${base}/api/summary?from=${from}&to=${LAST_DAY}`, headers);
    const kinds = ['rcpt', 'qid', 'sender', 'msgid', 'ip'] as const;
    const search = await time(
      REQUESTS,
      (i) => {
        const s = samples[i % samples.length]!;
        const kind = kinds[i % kinds.length]!;
        const q = kind === 'rcpt' ? mailbox(Math.floor(r() * 6000)) : kind === 'qid' ? s.qid : kind === 'sender' ? s.sender : kind === 'msgid' ? s.message_id : s.client_ip;
        return `${base}/api/search?q=${encodeURIComponent(q)}`;
      },
      headers,
    );
    const trace = await time(REQUESTS, () => `${base}/api/trace/${1 + Math.floor(r() * maxId)}`, headers);
    const f = (x: { p50: number; p95: number }) => `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
    log(`api latency (${REQUESTS} requests each; ${ROLLUP_DAYS} days of rollups, ${DETAIL_DAYS} days x ${MESSAGES_PER_DAY} messages):`);
    log(`  /api/summary over ${ROLLUP_DAYS} days: ${f(summary)}   (target p95 <= 50 ms)`);
    log(`  /api/search (address, queue id, Message-ID, IP): ${f(search)}   (target p95 <= 100 ms)`);
    log(`  /api/trace/:id: ${f(trace)}   (target p95 <= 100 ms)`);
    return { summaryP95Ms: summary.p95, searchP95Ms: search.p95, traceP95Ms: trace.p95 };
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchApi();
}
