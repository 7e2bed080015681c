// The minutes each host logged in (host_activity) and the minutes a probe ran: which spans are
// unknown (nobody logged, nothing probed: the log feed or postino was down) and which hosts
// fell quiet while their peers carried on.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { servicesOfHost, type HostMap } from './roles';
import type { Outage } from './types';
import { normalize, type Spans } from './intervals';

/** share of a quiet span's minutes the peers must log in for the silence to be an outage */
const PEERS_CARRY_ON = 0.9;

/** 30 minutes logged */
const FULL_HALF = 2 ** 30 - 1;

export interface Activity {
  /** first minute (unix seconds) of the bitmaps */
  from: number;
  minutes: number;
  /** host → 1 per minute it logged in */
  byHost: Map<string, Uint8Array>;
  /** 1 per minute any host logged or any probe ran */
  any: Uint8Array;
}

export function readActivity(db: Db, from: number, to: number): Activity {
  const start = Math.floor(from / 60) * 60;
  const minutes = Math.max(0, Math.ceil((to - start) / 60));
  const byHost = new Map<string, Uint8Array>();
  const any = new Uint8Array(minutes);
  const rows = db.prepare(`SELECT hour_at, host, lo, hi FROM host_activity WHERE hour_at >= ? AND hour_at < ?`).raw().all(start - 3600, to) as Array<[number, string, number, number]>;
  for (const [hourAt, host, lo, hi] of rows) {
    let bits = byHost.get(host);
    if (!bits) byHost.set(host, (bits = new Uint8Array(minutes)));
    const base = (hourAt - start) / 60;
    const whole = base >= 0 && base + 60 <= minutes;
    for (let half = 0; half < 2; half++) {
      const word = half === 0 ? lo : hi;
      const first = base + half * 30;
      if (whole && word === FULL_HALF) {
        // the usual case: a host logged in each minute of the half hour
        bits.fill(1, first, first + 30);
        any.fill(1, first, first + 30);
        continue;
      }
      for (let m = 0; m < 30; m++) {
        const i = first + m;
        if (i >= 0 && i < minutes && (word >>> m) & 1) {
          bits[i] = 1;
          any[i] = 1;
        }
      }
    }
  }
  // Probes run every few seconds: only the minutes no host logged in can need them, so read
  // the probe runs of those gaps alone (a year holds millions of runs).
  const probesIn = db.prepare(`SELECT DISTINCT at / 60 AS m FROM probe_results WHERE at >= ? AND at < ?`).raw();
  for (const [i, j] of zeroRuns(any)) {
    for (const [m] of probesIn.all(start + i * 60, start + j * 60) as Array<[number]>) any[m - start / 60] = 1;
  }
  return { from: start, minutes, byHost, any };
}

/** Runs of minutes with nothing logged and nothing probed. */
export function unknownSpans(a: Activity): Spans {
  return normalize(zeroRuns(a.any).map(([i, j]) => [a.from + i * 60, a.from + j * 60] as const));
}

/**
 * A host that logs nothing for quiet_after_s or more while its peers (the hosts with the same
 * services, else those sharing one; any other host when it has none) carry on: they log in at
 * least 90% of those minutes. Peers that are themselves sparse (a night's lull, a small
 * installation where a relay logs a line every few minutes) say nothing about a silence.
 */
export function quietOutages(config: Config, map: HostMap, a: Activity): Outage[] {
  const quietMin = Math.ceil(config.sla.quiet_after_s / 60);
  if (quietMin <= 0) return [];
  const out: Outage[] = [];
  for (const [host, bits] of a.byHost) {
    const services = servicesOfHost(map, host);
    if (services.length === 0) continue;
    // Peers: the hosts doing the same job (same services); failing those, any sharing one.
    const same = [...a.byHost.keys()].filter((h) => h !== host && sameSet(servicesOfHost(map, h), services));
    const sharing = [...new Set(services.flatMap((s) => map.hostsOf.get(s) ?? []))].filter((h) => h !== host);
    const peers = (same.length > 0 ? same : sharing).map((h) => a.byHost.get(h)).filter((b): b is Uint8Array => b !== undefined);
    const others = peers.length > 0 ? peers : [...a.byHost].filter(([h]) => h !== host).map(([, b]) => b);
    if (others.length === 0) continue;
    // A host that never logged before the window's first minute is not quiet: it is not there yet.
    const first = bits.indexOf(1);
    if (first < 0) continue;
    for (const [i, j] of zeroRuns(bits, first)) {
      const len = j - i;
      if (len >= quietMin) {
        let peerMinutes = 0;
        for (let k = i; k < j; k++) if (others.some((b) => b[k])) peerMinutes++;
        if (peerMinutes >= PEERS_CARRY_ON * len) {
          for (const service of services) {
            out.push({ host, service, start: a.from + i * 60, end: j < a.minutes ? a.from + j * 60 : null, cause: 'quiet', evidence: [`no line from ${host} for ${len} minutes while its peers logged`] });
          }
        }
      }
    }
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The [start, end) index runs of zeros in a bitmap of 0/1 bytes, from `from` (indexOf scans natively). */
function zeroRuns(bits: Uint8Array, from = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = bits.indexOf(0, from);
  while (i >= 0) {
    let j = bits.indexOf(1, i);
    if (j < 0) j = bits.length;
    out.push([i, j]);
    i = j < bits.length ? bits.indexOf(0, j) : -1;
  }
  return out;
}
