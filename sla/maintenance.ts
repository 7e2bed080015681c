// Maintenance windows: planned in the config (sla.maintenance) or declared afterwards by an
// admin through the API, with a reason (table sla_maintenance). Excluded from the SLA window.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { isServiceName, serviceNames, type ServiceName } from '../core/services';
import type { MaintenanceEntry } from './types';
import { normalize, type Spans } from './intervals';

export interface Maintenance extends MaintenanceEntry {
  fromAt: number;
  toAt: number;
}

export function readMaintenance(db: Db, config: Config, from: number, to: number): Maintenance[] {
  const out: Maintenance[] = [];
  for (const m of config.sla.maintenance) {
    const fromAt = Math.floor(Date.parse(m.from) / 1000);
    const toAt = Math.ceil(Date.parse(m.to) / 1000);
    if (toAt <= from || fromAt >= to) continue;
    out.push({ fromAt, toAt, from: iso(fromAt), to: iso(toAt), services: [...m.services], reason: m.note, source: 'config', declared_by: null, id: null });
  }
  const rows = db
    .prepare(`SELECT id, from_at, to_at, services, reason, declared_by FROM sla_maintenance WHERE to_at > ? AND from_at < ? ORDER BY from_at`)
    .all(from, to) as Array<{ id: number; from_at: number; to_at: number; services: string; reason: string; declared_by: string }>;
  for (const r of rows) {
    const services = (JSON.parse(r.services) as string[]).filter(isServiceName);
    out.push({ fromAt: r.from_at, toAt: r.to_at, from: iso(r.from_at), to: iso(r.to_at), services, reason: r.reason, source: 'declared', declared_by: r.declared_by, id: r.id });
  }
  return out.sort((a, b) => a.fromAt - b.fromAt);
}

/** The maintenance spans that apply to one service ([] services = all). */
export function maintenanceSpans(list: readonly Maintenance[], service: ServiceName): Spans {
  return normalize(list.filter((m) => m.services.length === 0 || m.services.includes(service)).map((m) => [m.fromAt, m.toAt] as const));
}

export interface DeclaredMaintenance {
  fromAt: number;
  toAt: number;
  services: ServiceName[];
  reason: string;
  declaredBy: string;
  declaredAt: number;
}

/** Stores a maintenance window an admin declared; returns its id. */
export function declareMaintenance(db: Db, m: DeclaredMaintenance): number {
  if (!(m.toAt > m.fromAt)) throw new RangeError('a maintenance window ends after it starts');
  for (const s of m.services) if (!serviceNames.includes(s)) throw new RangeError(`unknown service ${s}`);
  const r = db
    .prepare(`INSERT INTO sla_maintenance (from_at, to_at, services, reason, declared_by, declared_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(m.fromAt, m.toAt, JSON.stringify(m.services), m.reason, m.declaredBy, m.declaredAt);
  return Number(r.lastInsertRowid);
}

export function iso(at: number): string {
  return new Date(at * 1000).toISOString().replace('.000Z', 'Z');
}
