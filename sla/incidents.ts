// Incidents: the outages of one service (on any of its hosts) that overlap or lie less than
// merge_gap_s apart, with a timeline of which host went down and came back, and why.
import type { Ledger } from './ledger';
import { iso } from './maintenance';
import type { Incident, Outage, OutageCause, TimelineEntry } from './types';

export function buildIncidents(ledger: Ledger, mergeGap: number, withEvidence: boolean): Incident[] {
  const byService = new Map<string, Outage[]>();
  for (const o of ledger.outages) {
    if (!byService.has(o.service)) byService.set(o.service, []);
    byService.get(o.service)!.push(o);
  }
  const incidents: Incident[] = [];
  for (const list of byService.values()) {
    list.sort((a, b) => a.start - b.start);
    let group: Outage[] = [];
    let groupEnd = -Infinity;
    const flush = (): void => {
      if (group.length > 0) incidents.push(toIncident(ledger, group, withEvidence));
      group = [];
    };
    for (const o of list) {
      const end = o.end ?? Infinity;
      if (group.length > 0 && o.start > groupEnd + mergeGap) flush();
      if (group.length === 0) groupEnd = end;
      group.push(o);
      groupEnd = Math.max(groupEnd, end);
    }
    flush();
  }
  return incidents.sort((a, b) => a.start.localeCompare(b.start) || a.service.localeCompare(b.service));
}

function toIncident(ledger: Ledger, group: Outage[], withEvidence: boolean): Incident {
  const o0 = group[0]!;
  const start = Math.min(...group.map((o) => o.start));
  const open = group.some((o) => o.end === null);
  const end = open ? null : Math.max(...group.map((o) => o.end!));
  const causes = [...new Set(group.map((o) => o.cause))];
  const timeline: TimelineEntry[] = [];
  for (const o of group) {
    const down: TimelineEntry = { at: iso(o.start), host: o.host, what: 'down', cause: o.cause };
    if (withEvidence) down.evidence = o.evidence;
    timeline.push(down);
    if (o.end !== null) timeline.push({ at: iso(o.end), host: o.host, what: o.endConfirmed === false ? 'last-refusal' : 'up', cause: o.cause });
  }
  timeline.sort((a, b) => a.at.localeCompare(b.at) || (a.what === 'down' ? -1 : 1));
  const fig = ledger.service(o0.service, start, end ?? ledger.asOf, false);
  return {
    id: `${o0.service}-${start}`,
    service: o0.service,
    start: iso(start),
    end: end === null ? null : iso(end),
    open,
    hosts: [...new Set(group.map((o) => o.host))].sort(),
    cause: primaryCause(causes),
    causes,
    service_downtime_s: fig ? Math.round(fig.down * 1000) / 1000 : 0,
    timeline,
  };
}

/** The most telling cause: a daemon stop names what happened, a probe or silence only shows it. */
function primaryCause(causes: OutageCause[]): OutageCause {
  for (const c of ['daemon-stop', 'unreachable', 'probe', 'quiet'] as const) if (causes.includes(c)) return c;
  return causes[0]!;
}
