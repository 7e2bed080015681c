// Sign-in sessions, for admins: list them, end one (by its handle) or all of a user's.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { parseQuery } from '../params';
import { HttpError } from '../errors';
import { HANDLE_LENGTH, type Sessions } from '../sessions';
import { auditRequest } from '../audit-request';

const handleParam = z.string().regex(new RegExp(`^[0-9a-fA-F]{${HANDLE_LENGTH}}$`), `expected a session handle (${HANDLE_LENGTH} hex digits, from GET /api/sessions)`);

export function sessionsRouter(deps: Required<Pick<AppDeps, 'db' | 'now'>>, sessions: Sessions): Router {
  const r = Router();

  r.get('/api/sessions', requireRole('admin'), (req, res) => {
    parseQuery(z.object({}), req.query);
    auditRequest(deps, req, res, 'sessions', {});
    res.json({ sessions: sessions.list() });
  });

  r.delete('/api/sessions/:handle', requireRole('admin'), (req, res) => {
    const { handle } = parseQuery(z.object({ handle: handleParam }), req.params);
    const n = sessions.revoke(handle);
    if (n === 0) throw new HttpError(404, `no session ${handle}`);
    res.json({ revoked: n });
  });

  r.delete('/api/sessions', requireRole('admin'), (req, res) => {
    const { user } = parseQuery(z.object({ user: z.string({ message: 'expected user=NAME' }).min(1, 'expected user=NAME').max(64) }), req.query);
    res.json({ revoked: sessions.revokeUser(user) });
  });

  return r;
}
