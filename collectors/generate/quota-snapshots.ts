// Mailbox usage snapshots of the generated world, as `doveadm -f tab quota get -A` prints them
// (Username, Quota name, Type, Value, Limit, %; STORAGE in KiB, MESSAGE a count), one file a
// day, with their truth. The world is rebuilt from the same seed and scale as the logs (World is
// the first user of the generator's random stream), so the users are the logs' users; the
// usage has a stream of its own, so writing snapshots changes no log line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './prng';
import { World } from './world';

const KIB = 1024;
/** the seed's quota: 10 GB per mailbox (doveadm's limit in KiB) */
const LIMIT_KIB = 10 * 1024 * 1024;

export interface QuotaSnapshotOptions {
  start: string;
  days: number;
  scale: number;
  seed?: number;
}

export interface QuotaTruth {
  days: Array<{ date: string; file: string; mailboxes: number; used_bytes: number; by_domain: Record<string, number> }>;
}

/** One snapshot day: the rows and the text doveadm would print. */
function snapshotText(users: Array<{ addr: string; kib: number }>): string {
  const out = ['Username\tQuota name\tType\tValue\tLimit\t%'];
  for (const u of users) {
    const kib = Math.round(u.kib);
    out.push(`${u.addr}\tUser quota\tSTORAGE\t${kib}\t${LIMIT_KIB}\t${Math.floor((kib * 100) / LIMIT_KIB)}`);
    out.push(`${u.addr}\tUser quota\tMESSAGE\t${Math.round(kib / 60)}\t-\t0`);
  }
  return out.join('\n') + '\n';
}

/** Writes `quota-YYYY-MM-DD.tsv` for each day into `dir`; returns what it wrote. */
export function writeQuotaSnapshots(opts: QuotaSnapshotOptions, dir: string): QuotaTruth {
  const seed = opts.seed ?? 1;
  const world = new World(new Rng(seed), opts.scale);
  const rng = new Rng(seed * 7919 + 17);
  // the seed's average use is 1 GB a mailbox: a skewed spread around it, below the quota
  const users = world.mailboxes.map((m) => ({
    addr: m.addr,
    kib: Math.min(LIMIT_KIB * 0.95, Math.exp(rng.gauss() * 0.8) * 0.72 * 1024 * 1024),
    grow: rng.range(0.0005, 0.004),
  }));
  mkdirSync(dir, { recursive: true });
  const truth: QuotaTruth = { days: [] };
  const d0 = Date.parse(`${opts.start}T00:00:00Z`);
  for (let d = 0; d < opts.days; d++) {
    const date = new Date(d0 + d * 86_400_000).toISOString().slice(0, 10);
    if (d > 0) {
      for (const u of users) {
        // mail arrives every day; now and then a user cleans up
        const delta = u.kib * u.grow * rng.range(0.2, 1.8) - (rng.chance(0.004) ? u.kib * rng.range(0.05, 0.3) : 0);
        u.kib = Math.max(KIB, Math.min(LIMIT_KIB, u.kib + delta));
      }
    }
    const file = `quota-${date}.tsv`;
    writeFileSync(join(dir, file), snapshotText(users));
    const byDomain: Record<string, number> = {};
    let used = 0;
    for (const u of users) {
      const bytes = Math.round(u.kib) * KIB;
      used += bytes;
      const dom = u.addr.slice(u.addr.lastIndexOf('@') + 1);
      byDomain[dom] = (byDomain[dom] ?? 0) + bytes;
    }
    truth.days.push({ date, file, mailboxes: users.length, used_bytes: used, by_domain: byDomain });
  }
  return truth;
}
