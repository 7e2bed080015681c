// Writes what the correlator produced, the correlator's open state and the source
// checkpoint in ONE transaction: a crash at any instant neither loses nor double-counts
// a line. This is the only module of the collectors that knows SQL; another backend
// (PostgreSQL, ClickHouse) would implement the same `IngestStore` interface.
import type { Db } from '../../core/db/open';
import { parseCorrelatorState, type CorrelatorState } from '../correlate/correlator-state';
import { MessageWriter } from './message-writer';
import { RowInserter } from './row-inserter';
import { groupRejects, REJECT_OWN_WIDTH, type Output, type RejectGroup } from '../correlate/records';
import { markActivity, type HostActivity } from '../correlate/host-activity';
import { GeoTally } from './geo-tally';

export interface SourceIdentity {
  kind: 'file' | 'journal' | 'stdin';
  path: string;
  dev: number | null;
  ino: number | null;
  fingerprint: string | null;
  fpBytes: number;
  compressed: boolean;
}

export interface SourceRow {
  id: number;
  kind: 'file' | 'journal' | 'stdin';
  path: string;
  dev: number | null;
  ino: number | null;
  fingerprint: string | null;
  fp_bytes: number;
  compressed: number;
  offset_bytes: number;
  size_bytes: number;
  cursor: string | null;
  lines: number;
  recognised: number;
  unparsed: number;
  /** lines of programs postino does not read (cron, sshd ...) */
  other: number;
  last_line_at: number | null;
  updated_at: number;
}

export interface CheckpointUpdate {
  sourceId: number;
  path: string;
  offsetBytes: number;
  sizeBytes: number;
  cursor: string | null;
  fingerprint: string | null;
  fpBytes: number;
  lines: number;
  lastLineAt: number | null;
}

export interface IngestStore {
  loadCorrelatorState(onDrop?: (why: string) => void): CorrelatorState | null;
  nextMessageId(): number;
  nextConnectionId(): number;
  sources(): SourceRow[];
  createSource(identity: SourceIdentity): SourceRow;
  commit(out: Output, state: CorrelatorState, checkpoint: CheckpointUpdate | null): void;
}

function b(v: boolean): number {
  return v ? 1 : 0;
}

export class SqliteStore implements IngestStore {
  private readonly s;
  /** the detail tables a batch writes most rows to, several rows to a statement */
  private readonly rows: { delivery: RowInserter; verdict: RowInserter; login: RowInserter; messageLines: RowInserter };
  /** scratch: a batch's rows of one table, flat */
  private readonly flat: unknown[] = [];
  private readonly messages: MessageWriter;

  constructor(private readonly db: Db) {
    const q = (n: number): string => `(${new Array<string>(n).fill('?').join(', ')})`;
    this.rows = {
      delivery: new RowInserter(
        db,
        `INSERT INTO deliveries (at, host, message_row, agent, recipient, orig_recipient, relay, status, dsn, delay_ms, reply, hop) VALUES`,
        q(12),
        12,
      ),
      verdict: new RowInserter(
        db,
        `INSERT INTO verdicts (at, host, message_row, qid, action, verdict, detail, originating, hits, size_bytes, message_id,
                               client_ip, sender, recipients, queued_as, category) VALUES`,
        q(16),
        16,
      ),
      // OR IGNORE: a session's first row stands (logins_session is unique)
      login: new RowInserter(db, `INSERT OR IGNORE INTO logins (at, host, protocol, username, success, method, rip, lip, session, backend) VALUES`, q(10), 10),
      messageLines: new RowInserter(db, `INSERT INTO message_line_groups (message_row, lines) VALUES`, q(2), 2),
    };
    this.messages = new MessageWriter(db);
    this.s = {
      state: db.prepare(`SELECT state FROM correlator_state WHERE id = 1`),
      saveState: db.prepare(
        `INSERT INTO correlator_state (id, state, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      maxMessage: db.prepare(`SELECT coalesce(max(id), 0) AS m FROM messages`),
      sources: db.prepare(`SELECT * FROM sources ORDER BY id`),
      sourceById: db.prepare(`SELECT * FROM sources WHERE id = ?`),
      insertSource: db.prepare(
        `INSERT INTO sources (kind, path, dev, ino, fingerprint, fp_bytes, compressed, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      checkpoint: db.prepare(
        `UPDATE sources SET path = ?, offset_bytes = ?, size_bytes = ?, cursor = ?, fingerprint = coalesce(?, fingerprint),
                fp_bytes = max(fp_bytes, ?), lines = lines + ?, recognised = recognised + ?, unparsed = unparsed + ?, other = other + ?,
                last_line_at = coalesce(?, last_line_at), updated_at = ?
          WHERE id = ?`,
      ),
      connection: db.prepare(
        `INSERT INTO connections (id, at, host, kind, client_ip, client_host, outcome, auth_attempted, counted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      connectionUpdate: db.prepare(`UPDATE connections SET outcome = ?, auth_attempted = ?, counted = ? WHERE id = ?`),
      geoTally: db.prepare(
        `INSERT INTO geo_hour (hour_at, country, metric, n) VALUES (?, ?, ?, ?)
         ON CONFLICT (hour_at, country, metric) DO UPDATE SET n = n + excluded.n`,
      ),
      tally: db.prepare(
        `INSERT INTO connection_tally (minute_at, host, metric, n) VALUES (?, ?, ?, ?)
         ON CONFLICT (minute_at, host, metric) DO UPDATE SET n = n + excluded.n`,
      ),
      maxConnection: db.prepare(`SELECT coalesce(max(id), 0) AS m FROM connections`),
      reject: db.prepare(
        `INSERT INTO rejects (at, host, service, action, qid, message_row, stage, client_ip, client_host, helo, sender, recipient,
                              code, enhanced, reason_class, reply, greylist)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      authFailure: db.prepare(
        `INSERT INTO auth_failures (at, host, client_ip, client_host, mechanism, username, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      serviceEvent: db.prepare(`INSERT INTO service_events (at, host, daemon, event, target, port, line) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      activity: db.prepare(
        `INSERT INTO host_activity (hour_at, host, lo, hi) VALUES (?, ?, ?, ?)
         ON CONFLICT (hour_at, host) DO UPDATE SET lo = lo | excluded.lo, hi = hi | excluded.hi`,
      ),
      unparsed: db.prepare(
        `INSERT INTO unparsed_counts (program, n, sample, last_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (program) DO UPDATE SET n = n + excluded.n, last_at = excluded.last_at`,
      ),
      other: db.prepare(
        `INSERT INTO other_counts (program, n, last_at) VALUES (?, ?, ?)
         ON CONFLICT (program) DO UPDATE SET n = n + excluded.n, last_at = excluded.last_at`,
      ),
      dirty: db.prepare(`INSERT OR IGNORE INTO dirty_hours (bucket_at) VALUES (?)`),
    };
  }

  /**
   * The saved correlator state; null when there is none, or it is of another version (then
   * `onDrop` hears why: by default a line on stderr).
   */
  loadCorrelatorState(onDrop: (why: string) => void = (why) => process.stderr.write(`postino: ${why}\n`)): CorrelatorState | null {
    const row = this.s.state.get() as { state: string } | undefined;
    return row ? parseCorrelatorState(row.state, onDrop) : null;
  }

  nextMessageId(): number {
    return (this.s.maxMessage.get() as { m: number }).m + 1;
  }

  nextConnectionId(): number {
    return (this.s.maxConnection.get() as { m: number }).m + 1;
  }

  sources(): SourceRow[] {
    return this.s.sources.all() as SourceRow[];
  }

  createSource(id: SourceIdentity): SourceRow {
    const r = this.s.insertSource.run(id.kind, id.path, id.dev, id.ino, id.fingerprint, id.fpBytes, b(id.compressed), Math.floor(Date.now() / 1000));
    return this.s.sourceById.get(r.lastInsertRowid) as SourceRow;
  }

  /** Reject rows grouped by groupRejects (inside a transaction). */
  insertRejectGroups(groups: readonly RejectGroup[]): void {
    const s = this.s;
    for (const g of groups) {
      const v = g.rows;
      const [host, service, action, qid, messageRow, stage, code, enhanced, reasonClass, greylist] = g.shared;
      for (let i = 0; i + REJECT_OWN_WIDTH <= v.length; i += REJECT_OWN_WIDTH) {
        s.reject.run(v[i], host, service, action, qid, messageRow, stage, v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], code, enhanced, reasonClass, v[i + 6], greylist);
      }
    }
  }

  commit(out: Output, state: CorrelatorState, cp: CheckpointUpdate | null): void {
    this.commitSerialized(out, JSON.stringify(state), cp);
  }

  /** As commit, with the correlator state already serialised. */
  commitSerialized(out: Output, state: string, cp: CheckpointUpdate | null): void {
    this.db.transaction(() => this.apply(out, state, cp))();
  }

  /**
   * Writes one batch: rows, open state and checkpoint. Call inside a transaction: the ingest
   * thread applies several batches in one (each still carries its own checkpoint).
   */
  apply(out: Output, state: string, cp: CheckpointUpdate | null): void {
    // One small method per table: a deoptimisation in one then recompiles only that one, not
    // the whole of this method.
    this.writeConnections(out);
    this.messages.write(out);
    this.writeDeliveries(out);
    if (out.rejects.length > 0) this.insertRejectGroups(groupRejects(out.rejects));
    this.writeVerdicts(out);
    this.writeLogins(out);
    this.writeMessageLines(out);
    const s = this.s;
    for (const [program, u] of out.unparsed) s.unparsed.run(program, u.n, u.sample, u.lastAt);
    for (const [program, o] of out.other) s.other.run(program, o.n, o.lastAt);
    for (const h of out.touchedHours) s.dirty.run(h);
    s.saveState.run(state, Math.floor(Date.now() / 1000));
    if (cp) {
      s.checkpoint.run(
        cp.path,
        cp.offsetBytes,
        cp.sizeBytes,
        cp.cursor,
        cp.fingerprint,
        cp.fpBytes,
        cp.lines,
        out.recognised,
        out.unparsedLines,
        out.otherLines,
        cp.lastLineAt,
        Math.floor(Date.now() / 1000),
        cp.sourceId,
      );
    }
  }

  private writeConnections(out: Output): void {
    const s = this.s;
    for (const c of out.connections) {
      s.connection.run(c.id, c.at, c.host, c.kind, c.clientIp, c.clientHost, c.outcome, b(c.authAttempted), b(c.counted));
    }
    for (const u of out.connectionUpdates) s.connectionUpdate.run(u.outcome, b(u.authAttempted), b(u.counted), u.id);
    this.addTallies(out.tally);
    if (out.geo.counts.length > 0) {
      const g = new GeoTally();
      g.add(out.geo);
      this.addGeo(g);
    }
  }

  /** Adds country tallies to geo_hour (inside a transaction). */
  addGeo(g: GeoTally): void {
    const st = this.s.geoTally;
    for (const [hour, country, metric, n] of g.rows()) st.run(hour, country, metric, n);
  }

  /** Adds per-minute tallies (`minute|host|metric` → n) to connection_tally (inside a transaction). */
  addTallies(tally: ReadonlyMap<string, number>): void {
    const s = this.s;
    // The lane's lines (most of an MX's) reach the store only as these tallies: their minutes
    // are the MX's activity.
    const activity: HostActivity = new Map();
    for (const [key, n] of tally) {
      const a = key.indexOf('|');
      const z = key.lastIndexOf('|');
      const minute = Number(key.slice(0, a));
      const host = key.slice(a + 1, z);
      s.tally.run(minute, host, key.slice(z + 1), n);
      markActivity(activity, host, minute);
    }
    this.writeActivity(activity);
  }

  private writeDeliveries(out: Output): void {
    if (out.deliveries.length === 0) return;
    const f = this.flat;
    f.length = 0;
    for (const d of out.deliveries) f.push(d.at, d.host, d.messageRow, d.agent, d.recipient, d.origRecipient, d.relay, d.status, d.dsn, d.delayMs, d.reply, d.hop);
    this.rows.delivery.insert(f);
  }

  private writeVerdicts(out: Output): void {
    if (out.verdicts.length === 0) return;
    const f = this.flat;
    f.length = 0;
    for (const v of out.verdicts) {
      f.push(v.at, v.host, v.messageRow, v.qid, v.action, v.verdict, v.detail, b(v.originating), v.hits, v.sizeBytes, v.messageId, v.clientIp, v.sender, v.recipients, v.queuedAs, v.category);
    }
    this.rows.verdict.insert(f);
  }

  private writeLogins(out: Output): void {
    const s = this.s;
    if (out.logins.length > 0) {
      const f = this.flat;
      f.length = 0;
      for (const l of out.logins) f.push(l.at, l.host, l.protocol, l.username, b(l.success), l.method, l.rip, l.lip, l.session, l.backend);
      this.rows.login.insert(f);
    }
    for (const a of out.authFailures) s.authFailure.run(a.at, a.host, a.clientIp, a.clientHost, a.mechanism, a.username, a.reason);
    for (const e of out.serviceEvents) s.serviceEvent.run(e.at, e.host, e.daemon, e.event, e.target, e.port, e.line);
    this.writeActivity(out.activity);
  }

  /** ORs the minutes hosts logged in into host_activity (see collectors/correlate/host-activity.ts). */
  private writeActivity(a: HostActivity): void {
    for (const [host, hours] of a) for (const [hourAt, w] of hours) this.s.activity.run(hourAt, host, w[0], w[1]);
  }

  /**
   * One row per message of the batch, its lines in log order (migration 0004 says why).
   * One JSON.stringify per group: its result is one flat string, which SQLite copies as is
   * (a string joined from pieces would be flattened, a copy more, when it is bound).
   */
  private writeMessageLines(out: Output): void {
    if (out.messageLines.length === 0) return;
    const groups = new Map<number, Array<[number, string, string, string]>>();
    for (const l of out.messageLines) {
      const line: [number, string, string, string] = [l.at, l.host, l.program, l.text];
      const g = groups.get(l.messageRow);
      if (g === undefined) groups.set(l.messageRow, [line]);
      else g.push(line);
    }
    const f = this.flat;
    f.length = 0;
    for (const [row, lines] of groups) f.push(row, JSON.stringify(lines));
    this.rows.messageLines.insert(f);
  }
}
