// Aggregate API (no personal data): summary, hourly, funnel, heat map, rejects and logins
// aggregates, health. Every route states the role it needs.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole, principalOf, hasRole } from '../auth';
import { parseQuery, rangeQuery, resolveRange, dateParam, assertNotFuture } from '../params';
import { summary, funnel, totalFigures } from '../../queries/summary';
import { dailyFigures, hourlyFigures } from '../../../core/rollup/rollup';
import { rejectsByClass, rejectRows, loginsPerProtocol, loginsPerUser, heatmap } from '../../queries/aggregates';
import { health } from '../../queries/health';
import { geoipHealth } from '../../../collectors/enrich/geoip';
import { figureNames } from '../../../core/rollup/figures';
import { localDate } from '../../../core/time/local-time';
import { HttpError } from '../errors';
import { auditRequest } from '../audit-request';

export function aggregatesRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const tz = config.timezone;
  const r = Router();

  r.get('/api/summary', requireRole('wall'), (req, res) => {
    const q = parseQuery(rangeQuery, req.query);
    const range = resolveRange(q, tz, now());
    res.json(summary(db, tz, range.from, range.to));
  });

  r.get('/api/hourly', requireRole('wall'), (req, res) => {
    const q = parseQuery(z.object({ date: dateParam.optional() }), req.query);
    if (q.date !== undefined) assertNotFuture(q.date, 'date', tz, now());
    const date = q.date ?? localDate(tz, Math.floor(now() / 1000));
    res.json({ date, tz, hours: hourlyFigures(db, tz, date) });
  });

  r.get('/api/funnel', requireRole('wall'), (req, res) => {
    const range = resolveRange(parseQuery(rangeQuery, req.query), tz, now());
    const totals = totalFigures(dailyFigures(db, tz, range.from, range.to));
    res.json({ from: range.from, to: range.to, tz, steps: funnel(totals) });
  });

  r.get('/api/heatmap', requireRole('wall'), (req, res) => {
    const q = parseQuery(rangeQuery.extend({ figure: z.enum(figureNames).default('connections') }), req.query);
    const range = resolveRange(q, tz, now());
    res.json({ from: range.from, to: range.to, tz, figure: q.figure, days: heatmap(db, tz, range.start, range.end, q.figure) });
  });

  // Managers see reject reasons by class and reply code; operators may add detail=1 for the
  // latest reject lines (clients, HELO names, addresses).
  r.get('/api/rejects', requireRole('manager'), (req, res) => {
    const q = parseQuery(rangeQuery.extend({ detail: z.enum(['0', '1']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }), req.query);
    const range = resolveRange(q, tz, now());
    const out: Record<string, unknown> = { from: range.from, to: range.to, tz, ...rejectsByClass(db, range.start, range.end) };
    if (q.detail === '1') {
      if (!hasRole(principalOf(res), 'operator')) throw new HttpError(403, 'detail=1 needs the operator role');
      auditRequest(deps, req, res, 'rejects', { from: range.from, to: range.to, detail: 1, limit: q.limit });
      out.rows = rejectRows(db, range.start, range.end, q.limit);
    }
    res.json(out);
  });

  r.get('/api/logins', requireRole('manager'), (req, res) => {
    const q = parseQuery(
      rangeQuery.extend({ detail: z.enum(['0', '1']).optional(), user: z.string().min(1).max(320).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      req.query,
    );
    const range = resolveRange(q, tz, now());
    const out: Record<string, unknown> = { from: range.from, to: range.to, tz, ...loginsPerProtocol(db, tz, range.start, range.end) };
    if (q.detail === '1' || q.user !== undefined) {
      if (!hasRole(principalOf(res), 'operator')) throw new HttpError(403, 'per-user logins need the operator role');
      auditRequest(deps, req, res, 'logins', { from: range.from, to: range.to, detail: q.detail === '1' ? 1 : 0, user: q.user ?? null, limit: q.limit });
      out.users = loginsPerUser(db, range.start, range.end, q.user, q.limit);
    }
    res.json(out);
  });

  // Operators also get a sample line per program: log text, which may hold addresses and IPs.
  r.get('/api/health', requireRole('manager'), (req, res) => {
    const samples = hasRole(principalOf(res), 'operator');
    if (samples) auditRequest(deps, req, res, 'health', { samples: 1 });
    res.json({ ...health(db, now(), samples), geoip: geoipHealth(config.geoip) });
  });

  return r;
}
