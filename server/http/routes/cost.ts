// Cost API for managers: figures, departments, storage and scenarios (no personal data: the
// report holds departments and totals only), and the chargeback as FOCUS-style CSV.
import { Router } from 'express';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { parseQuery, rangeQuery, resolveRange } from '../params';
import { computeCost, chargebackCsv } from '../../../cost/index';

export function costRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const r = Router();

  r.get('/api/cost', requireRole('manager'), (req, res) => {
    const range = resolveRange(parseQuery(rangeQuery, req.query), config.timezone, now());
    res.json(computeCost(db, config, { from: range.from, to: range.to }));
  });

  r.get('/api/cost/chargeback.csv', requireRole('manager'), (req, res) => {
    const range = resolveRange(parseQuery(rangeQuery, req.query), config.timezone, now());
    const report = computeCost(db, config, { from: range.from, to: range.to });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="postino-chargeback-${range.from}-${range.to}.csv"`);
    res.send(chargebackCsv(report.chargeback, report.currency, report.allocation.method));
  });

  return r;
}
