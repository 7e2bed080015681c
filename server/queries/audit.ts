// The audit trail: every response that carried personal data (searches, traces, reject and
// login detail, unparsed samples, the session list). Kept access.audit_retention_days.
import type { Db } from '../../core/db/open';

export function writeAudit(db: Db, e: { at: number; user: string; role: string; action: string; query: unknown; clientIp: string | null }): void {
  db.prepare(`INSERT INTO audit (at, user, role, action, query, client_ip) VALUES (?, ?, ?, ?, ?, ?)`).run(e.at, e.user, e.role, e.action, JSON.stringify(e.query), e.clientIp);
}

export function readAudit(db: Db, start: number, end: number, page: number, pageSize = 100): { total: number; rows: Array<{ id: number; at: number; user: string; role: string; action: string; query: unknown; client_ip: string | null }> } {
  const total = (db.prepare(`SELECT count(*) AS n FROM audit WHERE at >= ? AND at < ?`).get(start, end) as { n: number }).n;
  const rows = (
    db.prepare(`SELECT id, at, user, role, action, query, client_ip FROM audit WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`).all(start, end, pageSize, (page - 1) * pageSize) as Array<{
      id: number;
      at: number;
      user: string;
      role: string;
      action: string;
      query: string;
      client_ip: string | null;
    }>
  ).map((r) => ({ ...r, query: JSON.parse(r.query) as unknown }));
  return { total, rows };
}

/** Deletes audit rows older than `days` days before nowS; returns how many. */
export function purgeAudit(db: Db, nowS: number, days: number): number {
  return db.prepare(`DELETE FROM audit WHERE at < ?`).run(nowS - days * 86400).changes;
}
