// Personal data: search and trace (operator+, each request audited) and the audit trail (admin).
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { parseQuery, dateParam, resolveRange } from '../params';
import { HttpError } from '../errors';
import { search } from '../../queries/search';
import { trace } from '../../queries/trace';
import { readAudit } from '../../queries/audit';
import { auditRequest as audit } from '../audit-request';

export function operatorRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const r = Router();

  r.get('/api/search', requireRole('operator'), (req, res) => {
    const q = parseQuery(
      z.object({
        q: z.string({ message: 'expected a search term' }).trim().min(3, 'at least 3 characters').max(998, 'at most 998 characters'),
        from: dateParam.optional(),
        to: dateParam.optional(),
        page: z.coerce.number({ message: 'expected a page number' }).int('expected a page number').min(1, 'pages start at 1').max(10_000).default(1),
      }),
      req.query,
    );
    // No dates: search everything kept (detail rows live for the retention only).
    const range = q.from || q.to ? resolveRange(q, config.timezone, now()) : null;
    audit(deps, req, res, 'search', { q: q.q, from: range?.from ?? null, to: range?.to ?? null, page: q.page });
    res.json({ ...search(db, q.q, range, q.page), from: range?.from ?? null, to: range?.to ?? null });
  });

  r.get('/api/trace/:id', requireRole('operator'), (req, res) => {
    const { id } = parseQuery(z.object({ id: z.coerce.number({ message: 'expected a message id' }).int('expected a message id').positive('expected a message id') }), req.params);
    audit(deps, req, res, 'trace', { id });
    const t = trace(db, id);
    if (!t) throw new HttpError(404, `no message with id ${id}`);
    res.json(t);
  });

  r.get('/api/audit', requireRole('admin'), (req, res) => {
    const q = parseQuery(
      z.object({ from: dateParam.optional(), to: dateParam.optional(), page: z.coerce.number().int().min(1).max(10_000).default(1) }),
      req.query,
    );
    const range = resolveRange(q, config.timezone, now(), 30);
    res.json({ from: range.from, to: range.to, page: q.page, ...readAudit(db, range.start, range.end, q.page) });
  });

  return r;
}
