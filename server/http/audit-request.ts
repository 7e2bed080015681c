// Writes the audit row of a request that is about to answer with personal data (addresses,
// user names, IPs): called before the data is read, so a response never goes out unaudited.
import type { Request, Response } from 'express';
import type { Db } from '../../core/db/open';
import { principalOf } from './auth';
import { writeAudit } from '../queries/audit';

export function auditRequest(deps: { db: Db; now: () => number }, req: Request, res: Response, action: string, query: unknown): void {
  const p = principalOf(res);
  if (!p) throw new Error('auditRequest: no principal (the route must require a role first)');
  writeAudit(deps.db, { at: Math.floor(deps.now() / 1000), user: p.user, role: p.role, action, query, clientIp: req.ip ?? null });
}
