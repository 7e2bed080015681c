// Countries (manager: countries and counts only; the wall: the top countries) and signals
// (operator: subjects are user names and addresses, every read audited; the wall: counts).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole, principalOf } from '../auth';
import { parseQuery, rangeQuery, resolveRange, dateParam } from '../params';
import { HttpError } from '../errors';
import { writeAudit } from '../../queries/audit';
import { localDate } from '../../../core/time/local-time';
import { geoFigures } from '../../../collectors/enrich/geo-figures';
import { openGeoIp } from '../../../collectors/enrich/geoip';
import { listSignals, getSignal, setSignalState, openSignalCounts } from '../../../signals/queries';
import { accountTimeline } from '../../../signals/timeline';
import { signalStates } from '../../../signals/types';

export function geoSignalsRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const tz = config.timezone;
  const r = Router();
  const credit = (): string | null => openGeoIp(config.geoip)?.info.credit ?? null;
  const audit = (req: Request, res: Response, action: string, query: unknown): string => {
    const p = principalOf(res)!;
    writeAudit(db, { at: Math.floor(now() / 1000), user: p.user, role: p.role, action, query, clientIp: req.ip ?? null });
    return p.user;
  };

  r.get('/api/geo', requireRole('manager'), (req, res) => {
    const range = resolveRange(parseQuery(rangeQuery, req.query), tz, now());
    res.json({ from: range.from, to: range.to, tz, credit: credit(), countries: geoFigures(db, tz, range.from, range.to) });
  });

  // The wall: today's top countries by connections, and the open signals (counts, no names).
  r.get('/api/geo/top', requireRole('wall'), (req, res) => {
    const q = parseQuery(z.object({ date: dateParam.optional(), n: z.coerce.number({ message: 'expected a number' }).int().min(1).max(50).default(8) }), req.query);
    const date = q.date ?? localDate(tz, Math.floor(now() / 1000));
    const top = geoFigures(db, tz, date, date)
      .filter((c) => c.connections > 0)
      .slice(0, q.n)
      .map((c) => ({ country: c.country, connections: c.connections, passed: c.passed }));
    res.json({ date, tz, credit: credit(), countries: top });
  });

  r.get('/api/signals/open', requireRole('wall'), (_req, res) => {
    const by = openSignalCounts(db);
    res.json({ open: by.reduce((n, b) => n + b.n, 0), by_kind_severity: by });
  });

  r.get('/api/signals', requireRole('operator'), (req, res) => {
    const q = parseQuery(rangeQuery.extend({ state: z.enum(signalStates, { message: `expected one of ${signalStates.join(', ')}` }).optional() }), req.query);
    const range = resolveRange(q, tz, now(), 7);
    audit(req, res, 'signals', { from: range.from, to: range.to, state: q.state ?? null });
    res.json({ from: range.from, to: range.to, tz, credit: credit(), signals: listSignals(db, range.start, range.end, q.state ?? null) });
  });

  const idParam = z.object({ id: z.coerce.number({ message: 'expected a signal id' }).int('expected a signal id').positive('expected a signal id') });
  const stateBody = z.strictObject({
    state: z.enum(signalStates, { message: `expected one of ${signalStates.join(', ')}` }),
    note: z.string().trim().max(2000, 'at most 2000 characters').optional(),
  });
  r.post('/api/signals/:id/state', requireRole('operator'), (req, res) => {
    const { id } = parseQuery(idParam, req.params);
    const body = stateBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    if (body.data.state === 'acknowledged' && !body.data.note) throw new HttpError(400, 'note: acknowledging a signal needs a note');
    const user = audit(req, res, 'signal-state', { id, state: body.data.state });
    if (!setSignalState(db, id, body.data.state, body.data.note ?? null, user, Math.floor(now() / 1000))) throw new HttpError(404, `no signal with id ${id}`);
    res.json(getSignal(db, id));
  });

  r.get('/api/timeline', requireRole('operator'), (req, res) => {
    const q = parseQuery(rangeQuery.extend({ user: z.string({ message: 'expected a user name' }).trim().min(1, 'expected a user name').max(320) }), req.query);
    const range = resolveRange(q, tz, now(), 7);
    audit(req, res, 'timeline', { user: q.user, from: range.from, to: range.to });
    res.json({ user: q.user.toLowerCase(), from: range.from, to: range.to, tz, credit: credit(), events: accountTimeline(db, openGeoIp(config.geoip), q.user, range.start, range.end) });
  });

  return r;
}

