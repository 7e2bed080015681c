// Signal detection as the server runs it: over yesterday and today, every few minutes (the
// scheduler) and after the demo's ingest. Detection writes `signals`; a GET never does.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { dayBounds, localDate, shiftDate } from '../core/time/local-time';
import { openGeoIp } from '../collectors/enrich/geoip';
import { runDetection } from '../signals/queries';

export function detectRecent(db: Db, config: Config, nowMs: number, days = 2): number {
  const today = localDate(config.timezone, Math.floor(nowMs / 1000));
  const from = dayBounds(config.timezone, shiftDate(today, -(days - 1)))[0];
  const to = dayBounds(config.timezone, today)[1];
  return runDetection(db, config, openGeoIp(config.geoip), from, to, Math.floor(nowMs / 1000)).length;
}
