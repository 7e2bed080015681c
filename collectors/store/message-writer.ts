// The messages table: a batch's new messages and the columns their lines filled in, one
// statement per set of columns (kept), a new message inserted whole when it can be.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../core/db/open';
import type { MessageUpdate, Output } from '../correlate/records';

/** The columns a MessageUpdate sets, in a fixed order: bit i of a column mask is UPDATE_COLUMNS[i]. */
const UPDATE_COLUMNS: ReadonlyArray<keyof MessageUpdate> = [
  'removed_at',
  'origin',
  'parent_id',
  'root_id',
  'client_ip',
  'client_host',
  'sasl_username',
  'sender',
  'size_bytes',
  'nrcpt',
  'message_id',
  'received_at',
  'submitted_at',
  'delivered_at',
  'verdict',
  'spam_score',
  'status',
];
const ORIGIN_BIT = 1 << UPDATE_COLUMNS.indexOf('origin');

/**
 * The mask of the columns `set` holds (its own keys: one set to undefined writes NULL), their
 * values into `values` in mask order. Why not Object.keys: this runs for every message written,
 * and a mask is a cheap statement cache key.
 */
function columnsOf(set: MessageUpdate, values: unknown[], exclude = 0): number {
  let mask = 0;
  values.length = 0;
  for (let i = 0; i < UPDATE_COLUMNS.length; i++) {
    const c = UPDATE_COLUMNS[i]!;
    if ((exclude & (1 << i)) === 0 && Object.hasOwn(set, c)) {
      mask |= 1 << i;
      values.push(set[c] ?? null);
    }
  }
  return mask;
}

function columnNames(mask: number): string[] {
  return UPDATE_COLUMNS.filter((_, i) => (mask & (1 << i)) !== 0);
}


export class MessageWriter {
  private readonly insert: Statement<unknown[]>;
  private readonly updateStmts = new Map<number, Statement<unknown[]>>();
  private readonly insertStmts = new Map<number, Statement<unknown[]>>();

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT INTO messages (id, host, qid, first_at, origin) VALUES (?, ?, ?, ?, ?)`);
  }

  write(out: Output): void {
    // A message born in this batch is usually also updated in it (sender, size, verdict...):
    // its row is inserted whole, one write instead of an insert and an update. Not when its
    // parent is a later row of this batch (the parent must exist first).
    let updateOf: Map<number, MessageUpdate> | null = null;
    if (out.messageInserts.length > 0 && out.messageUpdates.length > 0) {
      updateOf = new Map();
      for (const u of out.messageUpdates) updateOf.set(u.id, u.set);
    }
    const inserted = new Set<number>();
    const values: unknown[] = [];
    for (const m of out.messageInserts) {
      const set = updateOf?.get(m.id);
      if (set !== undefined && (set.parent_id === undefined || set.parent_id < m.id)) {
        // origin has its own place in the insert
        const mask = columnsOf(set, values, ORIGIN_BIT);
        this.insertStmt(mask).run(m.id, m.host, m.qid, m.firstAt, set.origin ?? m.origin, ...values);
        inserted.add(m.id);
      } else this.insert.run(m.id, m.host, m.qid, m.firstAt, m.origin);
    }
    for (const u of out.messageUpdates) {
      if (inserted.has(u.id)) continue;
      const mask = columnsOf(u.set, values);
      if (mask === 0) continue;
      // delivered_at is set once, on the root, by the first final delivery.
      this.updateStmt(mask).run(...values, u.id);
    }
  }

  /** UPDATE of the columns of `mask` (columnsOf). */
  private updateStmt(mask: number): Statement<unknown[]> {
    let st = this.updateStmts.get(mask);
    if (!st) {
      st = this.db.prepare(`UPDATE messages SET ${columnNames(mask).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
      this.updateStmts.set(mask, st);
    }
    return st;
  }

  /** INSERT of a message with the columns of `mask` set too (origin has its place among the first five). */
  private insertStmt(mask: number): Statement<unknown[]> {
    let st = this.insertStmts.get(mask);
    if (!st) {
      const names = ['id', 'host', 'qid', 'first_at', 'origin', ...columnNames(mask)];
      st = this.db.prepare(`INSERT INTO messages (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      this.insertStmts.set(mask, st);
    }
    return st;
  }
}
