// Mailbox usage snapshots: the output of `doveadm -f tab quota get -A`, one row per user, quota
// root and resource, e.g. (tab-separated; STORAGE in KiB, `-` for no limit):
//   Username	Quota name	Type	Value	Limit	%
//   mario.rossi@unipi.it	User quota	STORAGE	1048576	10485760	10
//   mario.rossi@unipi.it	User quota	MESSAGE	5321	-	0
// parseDoveadmQuota is pure; storeSnapshot writes one row per mailbox for the day.
import type { Db } from '../core/db/open';

export interface QuotaRow {
  mailbox: string;
  used_bytes: number;
  limit_bytes: number | null;
  messages: number | null;
}

export class QuotaFormatError extends Error {
  override name = 'QuotaFormatError';
}

const HEADER = ['username', 'quota name', 'type', 'value', 'limit'];

function count(v: string, line: number, what: string): number {
  if (!/^\d+$/.test(v)) throw new QuotaFormatError(`line ${line}: ${what} "${v}" is not a whole number`);
  return Number(v);
}

/**
 * Parses doveadm's tab output. With several quota roots for one user (a user quota and a
 * domain quota, say) the largest STORAGE value is kept: roots may overlap, so they never add.
 */
export function parseDoveadmQuota(text: string): QuotaRow[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return [];
  const head = lines[first]!.split('\t').map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => head[i] !== h)) {
    throw new QuotaFormatError(`line ${first + 1}: expected the header of \`doveadm -f tab quota get -A\` (Username, Quota name, Type, Value, Limit, %), got "${lines[first]!.slice(0, 80)}"`);
  }
  const rows = new Map<string, QuotaRow>();
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = raw.split('\t');
    const n = i + 1;
    if (f.length < 5) throw new QuotaFormatError(`line ${n}: expected 5 or 6 tab-separated fields, got ${f.length}`);
    const user = f[0]!.trim().toLowerCase();
    if (!user) throw new QuotaFormatError(`line ${n}: empty user name`);
    const type = f[2]!.trim().toUpperCase();
    const value = count(f[3]!.trim(), n, 'value');
    const limit = f[4]!.trim() === '-' ? null : count(f[4]!.trim(), n, 'limit');
    const row = rows.get(user) ?? { mailbox: user, used_bytes: -1, limit_bytes: null, messages: null };
    if (type === 'STORAGE') {
      if (value * 1024 > row.used_bytes) {
        row.used_bytes = value * 1024;
        row.limit_bytes = limit === null ? null : limit * 1024;
      }
    } else if (type === 'MESSAGE') {
      row.messages = Math.max(row.messages ?? 0, value);
    } else {
      throw new QuotaFormatError(`line ${n}: unknown quota type "${f[2]}" (expected STORAGE or MESSAGE)`);
    }
    rows.set(user, row);
  }
  // a user with a message quota only has no storage figure: leave it out rather than count 0 bytes
  return [...rows.values()].filter((r) => r.used_bytes >= 0);
}

/** Replaces the snapshot of `date` with `rows`, in one transaction. */
export function storeSnapshot(db: Db, date: string, rows: QuotaRow[], nowS = Math.floor(Date.now() / 1000)): { date: string; mailboxes: number; used_bytes: number } {
  const del = db.prepare('DELETE FROM quota_snapshots WHERE date = ?');
  const ins = db.prepare('INSERT INTO quota_snapshots (date, mailbox, used_bytes, limit_bytes, messages, imported_at) VALUES (?, ?, ?, ?, ?, ?)');
  let used = 0;
  db.transaction(() => {
    del.run(date);
    for (const r of rows) {
      ins.run(date, r.mailbox, r.used_bytes, r.limit_bytes, r.messages, nowS);
      used += r.used_bytes;
    }
  })();
  return { date, mailboxes: rows.length, used_bytes: used };
}
