// The probes' outages (sla/probe-outages.ts, one span per probe) as the accounting's outages.
import type { Db } from '../core/db/open';
import { isServiceName } from '../core/services';
import { probeOutages } from './probe-outages';
import type { Outage } from './types';

export function probeSpans(db: Db, from: number, to: number): Outage[] {
  const out: Outage[] = [];
  for (const o of probeOutages(db, from, to)) {
    if (!isServiceName(o.service)) continue;
    out.push({
      host: o.host,
      service: o.service,
      start: o.start_at,
      end: o.end_at,
      cause: 'probe',
      evidence: [`probe ${o.probe}: ${o.failures} failed run${o.failures === 1 ? '' : 's'}, the first: ${o.detail}`],
    });
  }
  return out;
}
