// Availability and SLA: the report (/api/sla), incidents, a CSV download, the wall's summary
// and maintenance windows an admin declares afterwards. Evidence lines (they can name users)
// only for operators, and every such read is audited.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole, principalOf, hasRole } from '../auth';
import { parseQuery, dateParam, resolveRange } from '../params';
import { HttpError, badRequest } from '../errors';
import { writeAudit } from '../../queries/audit';
import { computeSlaWith, declareMaintenance, type SlaReport } from '../../../sla/index';
import { slaCsv, csvTables } from '../../../sla/csv';
import { slaNow } from '../../../sla/now';
import { serviceNames } from '../../../core/services';

type Deps = Required<Pick<AppDeps, 'db' | 'config' | 'now'>>;

const evidenceParam = z.enum(['0', '1'], { message: 'expected evidence=0 or evidence=1' }).optional();

function audit(deps: Deps, req: Request, res: Response, action: string, query: unknown): void {
  const p = principalOf(res)!;
  writeAudit(deps.db, { at: Math.floor(deps.now() / 1000), user: p.user, role: p.role, action, query, clientIp: req.ip ?? null });
}

export function slaRouter(deps: Deps): Router {
  const { db, config, now } = deps;
  const r = Router();

  /** The report of a range; with evidence for an operator who asks (audited). */
  const report = (req: Request, res: Response, q: { from?: string | undefined; to?: string | undefined; evidence?: '0' | '1' | undefined }, action: string): SlaReport => {
    const range = resolveRange(q, config.timezone, now(), 30);
    const evidence = q.evidence === '1';
    if (evidence) {
      if (!hasRole(principalOf(res), 'operator')) throw new HttpError(403, 'evidence lines need the operator role');
      audit(deps, req, res, action, { from: range.from, to: range.to, evidence: true });
    }
    return computeSlaWith(db, config, { from: range.from, to: range.to }, now(), { evidence });
  };

  r.get('/api/sla', requireRole('manager'), (req, res) => {
    const q = parseQuery(z.object({ from: dateParam.optional(), to: dateParam.optional(), evidence: evidenceParam }), req.query);
    res.json(report(req, res, q, 'sla'));
  });

  r.get('/api/incidents', requireRole('manager'), (req, res) => {
    const q = parseQuery(z.object({ from: dateParam.optional(), to: dateParam.optional(), evidence: evidenceParam }), req.query);
    const rep = report(req, res, q, 'incidents');
    res.json({ from: rep.from, to: rep.to, incidents: rep.incidents });
  });

  r.get('/api/sla.csv', requireRole('manager'), (req, res) => {
    const q = parseQuery(z.object({ from: dateParam.optional(), to: dateParam.optional(), table: z.enum(csvTables, { message: `expected table=${csvTables.join('|')}` }).default('services') }), req.query);
    const rep = report(req, res, { from: q.from, to: q.to }, 'sla.csv');
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="postino-${q.table}-${rep.from}-${rep.to}.csv"`);
    res.send(slaCsv(rep, q.table));
  });

  // The wall: availability now, today's budget, open incidents. No personal data.
  r.get('/api/sla/now', requireRole('wall'), (req, res) => {
    parseQuery(z.object({}), req.query);
    res.json(slaNow(db, config, now()));
  });

  r.get('/api/sla/maintenance', requireRole('manager'), (req, res) => {
    const q = parseQuery(z.object({ from: dateParam.optional(), to: dateParam.optional() }), req.query);
    const rep = report(req, res, q, 'sla.maintenance');
    res.json({ from: rep.from, to: rep.to, maintenance: rep.maintenance });
  });

  r.post('/api/sla/maintenance', requireRole('admin'), (req, res) => {
    const body = z
      .strictObject({
        from: z.string({ message: 'expected an ISO 8601 date-time' }).datetime({ offset: true, message: 'expected an ISO 8601 date-time' }),
        to: z.string({ message: 'expected an ISO 8601 date-time' }).datetime({ offset: true, message: 'expected an ISO 8601 date-time' }),
        services: z.array(z.enum(serviceNames, { message: `expected services among ${serviceNames.join(', ')}` })).default([]),
        reason: z.string({ message: 'a reason is required' }).trim().min(3, 'a reason is required (3 characters at least)').max(500),
      })
      .safeParse(req.body ?? {});
    if (!body.success) throw badRequest(body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const fromAt = Math.floor(Date.parse(body.data.from) / 1000);
    const toAt = Math.ceil(Date.parse(body.data.to) / 1000);
    if (toAt <= fromAt) throw badRequest('to must be after from');
    const p = principalOf(res)!;
    const id = declareMaintenance(db, { fromAt, toAt, services: body.data.services, reason: body.data.reason, declaredBy: p.user, declaredAt: Math.floor(now() / 1000) });
    audit(deps, req, res, 'sla.maintenance.declare', { id, ...body.data });
    res.status(201).json({ id, from: new Date(fromAt * 1000).toISOString(), to: new Date(toAt * 1000).toISOString(), services: body.data.services, reason: body.data.reason, declared_by: p.user });
  });

  return r;
}
