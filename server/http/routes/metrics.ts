// /metrics in Prometheus text format: counters (*_total, which only grow, for rate() and
// increase()) of lines read and unparsed per source, and per host of connections, messages
// received and delivered, rejects by class and logins by protocol and result; beside them
// today's and yesterday's daily figures as gauges, and ingest health. `promtool check metrics`
// finds nothing to say (a test runs it). Any authenticated role may scrape it (Prometheus:
// `authorization: {credentials: <wall token>}`).
import { Router } from 'express';
import { Registry, Gauge, Counter } from 'prom-client';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { dailyFigures } from '../../../core/rollup/rollup';
import { figureNames } from '../../../core/rollup/figures';
import { health } from '../../queries/health';
import { signalMetricsText } from '../signal-metrics';
import { localDate } from '../../../core/time/local-time';
import { shiftDate } from '../../../core/time/local-time';
import { probeGauges } from '../probe-metrics';
import { counterTotals } from '../../../core/rollup/host-counters';
import { slaMetrics } from '../sla-metrics';

export function metricsRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const tz = config.timezone;
  const registry = new Registry();
  const day = new Gauge({ name: 'postino_daily_figure', help: 'daily figures of METRICS.md for a local calendar day', labelNames: ['figure', 'day'] as const, registers: [registry] });
  const lag = new Gauge({ name: 'postino_ingest_lag_seconds', help: 'seconds since the newest ingested log line', registers: [registry] });
  const lastLine = new Gauge({ name: 'postino_ingest_last_line_timestamp_seconds', help: 'log time of the newest ingested line', registers: [registry] });
  const dirty = new Gauge({ name: 'postino_rollup_dirty_buckets', help: 'hour buckets ingested and not yet rolled up', registers: [registry] });
  const unparsed = new Gauge({ name: 'postino_unparsed_lines', help: 'unrecognised lines by program', labelNames: ['program'] as const, registers: [registry] });
  // Only grows (read from other_counts at each scrape): a counter, so rate() works.
  const other = new Counter({
    name: 'postino_lines_other_total',
    help: 'lines of programs postino does not read (cron, sshd, kernel ...), by program',
    labelNames: ['program'] as const,
    registers: [registry],
  });
  const srcOffset = new Gauge({ name: 'postino_source_offset_bytes', help: 'checkpoint position of a log source', labelNames: ['path'] as const, registers: [registry] });
  const linesRead = new Counter({ name: 'postino_lines_read_total', help: 'lines read from a log source', labelNames: ['path'] as const, registers: [registry] });
  const linesUnparsed = new Counter({ name: 'postino_lines_unparsed_total', help: 'lines of a log source that were not recognised', labelNames: ['path'] as const, registers: [registry] });
  const connections = new Counter({ name: 'postino_smtp_connections_total', help: 'inbound SMTP connections (METRICS.md connections) per host', labelNames: ['host'] as const, registers: [registry] });
  const received = new Counter({ name: 'postino_messages_received_total', help: 'messages received from outside (METRICS.md received) per host', labelNames: ['host'] as const, registers: [registry] });
  const delivered = new Counter({ name: 'postino_messages_delivered_total', help: 'messages delivered (METRICS.md delivered) per receiving host', labelNames: ['host'] as const, registers: [registry] });
  const rejects = new Counter({ name: 'postino_rejects_total', help: 'SMTP rejects (METRICS.md rejected) per host and reason class', labelNames: ['host', 'class'] as const, registers: [registry] });
  const logins = new Counter({ name: 'postino_logins_total', help: 'IMAP/POP3 login attempts per host, protocol and result', labelNames: ['host', 'protocol', 'result'] as const, registers: [registry] });

  const probes = probeGauges(registry, db, config);
  const updateSla = slaMetrics(registry, db, config);
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
    for (const o of h.other) other.inc({ program: o.program }, o.n);
    for (const s of h.sources) {
      srcOffset.set({ path: s.path }, s.offset_bytes);
      linesRead.inc({ path: s.path }, s.lines);
      linesUnparsed.inc({ path: s.path }, s.unparsed);
    }
    for (const c of counterTotals(db)) {
      const [kind, a, b] = c.metric.split(':');
      if (kind === 'connections') connections.inc({ host: c.host }, c.n);
      else if (kind === 'received') received.inc({ host: c.host }, c.n);
      else if (kind === 'delivered') delivered.inc({ host: c.host }, c.n);
      else if (kind === 'rejects' && a !== undefined) rejects.inc({ host: c.host, class: a }, c.n);
      else if (kind === 'logins' && a !== undefined && b !== undefined) logins.inc({ host: c.host, protocol: a, result: b }, c.n);
    }
    probes.update(Math.floor(now() / 1000));
    updateSla(now());
    res.type(registry.contentType).send((await registry.metrics()) + signalMetricsText(db));
  });
  return r;
}
