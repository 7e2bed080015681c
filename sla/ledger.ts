// Down time per host and per service over any span, from the outages: a service is down only
// while none of its hosts serves it; a mailbox server down takes the mailbox service away from
// its share of the users, so its down time counts weighted by that share. Unknown time (no
// line, no probe) is left out of both the down time and the time accounted for; the SLA
// figures also leave out maintenance.
import type { ServiceName } from '../core/services';
import { clip, intersectAll, length, normalize, subtract, union, type Spans } from './intervals';
import { maintenanceSpans, type Maintenance } from './maintenance';
import type { HostMap } from './roles';
import type { Outage } from './types';

export interface Figure {
  /** seconds down (weighted for mailbox) */
  down: number;
  /** seconds accounted for: the span minus unknown time (and maintenance, for SLA figures) */
  known: number;
  /** seconds of maintenance inside the span */
  maintenance: number;
}

export class Ledger {
  private readonly hostDownSpans = new Map<string, Spans>();
  private readonly maint = new Map<ServiceName, Spans>();

  constructor(
    readonly outages: readonly Outage[],
    readonly map: HostMap,
    readonly maintenance: readonly Maintenance[],
    readonly unknown: Spans,
    /** open outages run up to here */
    readonly asOf: number,
  ) {
    const by = new Map<string, Array<readonly [number, number]>>();
    for (const o of outages) {
      const k = `${o.host}|${o.service}`;
      if (!by.has(k)) by.set(k, []);
      by.get(k)!.push([o.start, o.end ?? asOf]);
    }
    for (const [k, spans] of by) this.hostDownSpans.set(k, normalize(spans));
  }

  maintenanceOf(service: ServiceName): Spans {
    let m = this.maint.get(service);
    if (!m) this.maint.set(service, (m = maintenanceSpans(this.maintenance, service)));
    return m;
  }

  hostDown(host: string, service: ServiceName): Spans {
    return this.hostDownSpans.get(`${host}|${service}`) ?? [];
  }

  private excluded(service: ServiceName, sla: boolean): Spans {
    return sla ? union(this.unknown, this.maintenanceOf(service)) : this.unknown;
  }

  host(host: string, service: ServiceName, from: number, to: number, sla = true): Figure {
    const ex = clip(this.excluded(service, sla), from, to);
    const down = length(subtract(clip(this.hostDown(host, service), from, to), ex));
    return { down, known: to - from - length(ex), maintenance: length(clip(this.maintenanceOf(service), from, to)) };
  }

  /** Spans when the service (not mailbox) was down: all its hosts down at once. */
  serviceDown(service: ServiceName): Spans {
    const hosts = this.map.hostsOf.get(service) ?? [];
    return intersectAll(hosts.map((h) => this.hostDown(h, service)));
  }

  service(service: ServiceName, from: number, to: number, sla = true): Figure | null {
    const hosts = this.map.hostsOf.get(service) ?? [];
    if (hosts.length === 0) return null;
    const ex = clip(this.excluded(service, sla), from, to);
    const known = to - from - length(ex);
    const maintenance = length(clip(this.maintenanceOf(service), from, to));
    if (service === 'mailbox') {
      let down = 0;
      for (const h of hosts) down += (this.map.shareOf.get(h) ?? 0) * length(subtract(clip(this.hostDown(h, service), from, to), ex));
      return { down, known, maintenance };
    }
    return { down: length(subtract(clip(this.serviceDown(service), from, to), ex)), known, maintenance };
  }
}
