// /metrics in Prometheus text format: today's and yesterday's daily figures, ingest health.
// Any authenticated role may scrape it (Prometheus: `authorization: {credentials: <wall token>}`).
import { Router } from 'express';
import { Registry, Gauge } from 'prom-client';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { dailyFigures } from '../../../core/rollup/rollup';
import { figureNames } from '../../../core/rollup/figures';
import { health } from '../../queries/health';
import { signalMetricsText } from '../signal-metrics';
import { localDate } from '../../../core/time/local-time';
import { shiftDate } from '../../../core/time/local-time';
import { probeGauges } from '../probe-metrics';

export function metricsRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const tz = config.timezone;
  const registry = new Registry();
  const day = new Gauge({ name: 'postino_daily_figure', help: 'daily figures of METRICS.md for a local calendar day', labelNames: ['figure', 'day'] as const, registers: [registry] });
  const lag = new Gauge({ name: 'postino_ingest_lag_seconds', help: 'seconds since the newest ingested log line', registers: [registry] });
  const lastLine = new Gauge({ name: 'postino_ingest_last_line_timestamp_seconds', help: 'log time of the newest ingested line', registers: [registry] });
  const dirty = new Gauge({ name: 'postino_rollup_dirty_hours', help: 'hours ingested and not yet rolled up', registers: [registry] });
  const unparsed = new Gauge({ name: 'postino_unparsed_lines', help: 'unrecognised lines by program', labelNames: ['program'] as const, registers: [registry] });
  const srcOffset = new Gauge({ name: 'postino_source_offset_bytes', help: 'checkpoint position of a log source', labelNames: ['path'] as const, registers: [registry] });
  const srcLines = new Gauge({ name: 'postino_source_lines', help: 'lines read from a log source', labelNames: ['path'] as const, registers: [registry] });

  const probes = probeGauges(registry, db, config);

  const r = Router();
  r.get('/metrics', requireRole('wall'), async (_req, res) => {
    const today = localDate(tz, Math.floor(now() / 1000));
    const yesterday = shiftDate(today, -1);
    registry.resetMetrics();
    for (const d of dailyFigures(db, tz, yesterday, today)) {
      const label = d.date === today ? 'today' : 'yesterday';
      for (const n of figureNames) day.set({ figure: n, day: label }, d[n]);
    }
    const h = health(db, now(), false);
    if (h.ingest_lag_s !== null) lag.set(h.ingest_lag_s);
    if (h.last_line_at !== null) lastLine.set(h.last_line_at);
    dirty.set(h.dirty_hours);
    for (const u of h.unparsed) unparsed.set({ program: u.program }, u.n);
    for (const s of h.sources) {
      srcOffset.set({ path: s.path }, s.offset_bytes);
      srcLines.set({ path: s.path }, s.lines);
    }
    probes.update(Math.floor(now() / 1000));
    res.type(registry.contentType).send((await registry.metrics()) + signalMetricsText(db));
  });
  return r;
}
