// Outage spans from the active probes' results: a failure opens an outage of the probe's
// (host, service), the probe's next success closes it. Spans are reported whole, not clipped
// to the window (the accounting clips): an outage that began before `fromAt` keeps its real
// start, and one still failing at `toAt` ends at its closing success, or null while none has
// come. Per probe, so two probes of one host and service give two (possibly overlapping) spans.
import type { Db } from '../core/db/open';

export interface ProbeOutage {
  probe: string;
  host: string;
  service: string;
  /** unix seconds of the first failed run */
  start_at: number;
  /** unix seconds of the next successful run; null while the probe is still failing */
  end_at: number | null;
  /** the first failure's reason */
  detail: string;
  /** unix seconds of the last failed run of the span (a gap after it is postino's, not the service's) */
  last_fail_at: number;
  /** failed runs in the span */
  failures: number;
}

interface Row {
  id: number;
  at: number;
  host: string;
  service: string;
  ok: number;
  detail: string;
}

/** Outages overlapping [fromAt, toAt): start_at < toAt and (end_at null or end_at > fromAt). */
export function probeOutages(db: Db, fromAt: number, toAt: number): ProbeOutage[] {
  // Rows are ordered by (at, id): probes may run more than once a second.
  const probes = db
    .prepare(
      `WITH RECURSIVE p(name) AS (SELECT min(probe) FROM probe_results
         UNION ALL SELECT (SELECT min(probe) FROM probe_results WHERE probe > p.name) FROM p WHERE p.name IS NOT NULL)
       SELECT name FROM p WHERE name IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
  const lastBefore = db.prepare(`SELECT id, at, host, service, ok, detail FROM probe_results WHERE probe = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1`);
  // `(at, id)` bounds are written as a range on `at` plus a tie-break, so that SQLite seeks the
  // index instead of scanning the probe's rows from one end (an OR alone defeats the range).
  const lastSuccessBefore = db.prepare(`SELECT at, id FROM probe_results WHERE probe = ? AND ok = 1 AND at <= ? AND (at < ? OR id < ?) ORDER BY at DESC, id DESC LIMIT 1`);
  const firstFailureAfter = db.prepare(
    `SELECT id, at, host, service, ok, detail FROM probe_results INDEXED BY probe_results_failures
     WHERE probe = ? AND ok = 0 AND at >= ? AND (at > ? OR id > ?) AND at < ? ORDER BY at, id LIMIT 1`,
  );
  const nextSuccess = db.prepare(`SELECT at, id FROM probe_results WHERE probe = ? AND ok = 1 AND at >= ? AND (at > ? OR id > ?) ORDER BY at, id LIMIT 1`);
  const spanFailures = db.prepare(
    `SELECT count(*) AS n, max(at) AS last FROM probe_results INDEXED BY probe_results_failures
     WHERE probe = ? AND ok = 0 AND at >= ? AND (at > ? OR id >= ?) AND at <= coalesce(?, 1e18) AND (? IS NULL OR at < ? OR id < ?)`,
  );

  const out: ProbeOutage[] = [];
  for (const probe of probes) {
    let first: Row | undefined;
    const before = lastBefore.get(probe, fromAt) as Row | undefined;
    if (before && before.ok === 0) {
      // In an outage at fromAt: its first failure is the first one after the last success.
      const ok = lastSuccessBefore.get(probe, before.at, before.at, before.id) as { at: number; id: number } | undefined;
      first = firstFailureAfter.get(probe, ok?.at ?? -Infinity, ok?.at ?? -Infinity, ok?.id ?? -1, toAt) as Row | undefined;
    } else {
      first = firstFailureAfter.get(probe, fromAt, fromAt, -1, toAt) as Row | undefined;
    }
    while (first) {
      const end = nextSuccess.get(probe, first.at, first.at, first.id) as { at: number; id: number } | undefined;
      const f = spanFailures.get(probe, first.at, first.at, first.id, end?.at ?? null, end?.at ?? null, end?.at ?? null, end?.id ?? null) as { n: number; last: number };
      const outage: ProbeOutage = { probe, host: first.host, service: first.service, start_at: first.at, end_at: end?.at ?? null, detail: first.detail, last_fail_at: f.last, failures: f.n };
      if (outage.end_at === null || outage.end_at > fromAt) out.push(outage);
      if (!end) break;
      first = firstFailureAfter.get(probe, end.at, end.at, end.id, toAt) as Row | undefined;
    }
  }
  return out.sort((a, b) => a.start_at - b.start_at || a.probe.localeCompare(b.probe));
}
