// /api/probes (manager): each configured probe's last result, success ratio over the last
// `hours` (default 24), certificate days left, outage in progress. No passwords, no login names.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { parseQuery } from '../params';
import { probeStatuses } from '../../queries/probes';

const query = z.object({
  hours: z.coerce.number({ message: 'expected a number of hours' }).int('expected a whole number of hours').min(1, 'expected 1 to 720 hours').max(720, 'expected 1 to 720 hours').default(24),
});

export function probesRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const r = Router();
  r.get('/api/probes', requireRole('manager'), (req, res) => {
    const q = parseQuery(query, req.query);
    const nowAt = Math.floor(now() / 1000);
    const fromAt = nowAt - q.hours * 3600;
    res.json({ now: nowAt, from: fromAt, hours: q.hours, probes: probeStatuses(db, config.probes, fromAt, nowAt) });
  });
  return r;
}
