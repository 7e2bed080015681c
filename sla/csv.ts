// Per-service figures, per-host figures and incidents as CSV (RFC 4180: quoted when needed,
// CRLF line ends), for spreadsheets.
import type { SlaReport } from './types';

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  // a leading = + - @ would be a formula in a spreadsheet
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function table(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const csvTables = ['services', 'hosts', 'incidents'] as const;
export type CsvTable = (typeof csvTables)[number];

export function slaCsv(r: SlaReport, which: CsvTable): string {
  if (which === 'services') {
    return table(
      ['service', 'hosts', 'availability', 'availability_pct', 'raw_availability', 'raw_availability_pct', 'downtime_s', 'raw_downtime_s', 'maintenance_s', 'meets_target', 'from', 'to'],
      r.services.map((s) => [s.service, s.hosts, s.availability, s.availability_pct, s.raw_availability, s.raw_availability_pct, s.downtime_s, s.raw_downtime_s, s.maintenance_s, s.meets_target, r.from, r.to]),
    );
  }
  if (which === 'hosts') {
    return table(
      ['host', 'service', 'availability', 'availability_pct', 'downtime_s', 'weight'],
      r.hosts.map((h) => [h.host, h.service, h.availability, h.availability_pct, h.downtime_s, h.weight]),
    );
  }
  return table(
    ['service', 'start', 'end', 'open', 'hosts', 'cause', 'causes', 'service_downtime_s'],
    r.incidents.map((i) => [i.service, i.start, i.end, i.open, i.hosts, i.cause, i.causes, i.service_downtime_s]),
  );
}
