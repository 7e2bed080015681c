// Pages (plain HTML + bundled browser modules), login/logout and who-am-I.
import { Router, static as serveStatic } from 'express';
import { join } from 'node:path';
import type { AppDeps } from '../app';
import { requireRole, principalOf, checkLogin, setSessionCookie, safeNext, SESSION_COOKIE, parseCookies, type Sessions, type Role } from '../auth';
import { HttpError } from '../errors';
import type { LoginThrottle } from '../login-throttle';
import { webDir } from '../../../web/build';

const pages: Array<[path: string, file: string, role: Role]> = [
  ['/', 'index.html', 'manager'],
  ['/wall', 'wall.html', 'wall'],
  ['/trace', 'trace.html', 'operator'],
  ['/signals', 'signals.html', 'operator'],
  ['/account', 'account.html', 'operator'],
  ['/sla', 'sla.html', 'manager'],
  ['/cost', 'cost.html', 'manager'],
  ['/reports', 'reports.html', 'manager'],
];

export function pagesRouter(deps: Required<Pick<AppDeps, 'config'>>, sessions: Sessions, throttle: LoginThrottle): Router {
  const r = Router();
  const noStore = { headers: { 'Cache-Control': 'no-store' } };

  r.use('/assets', serveStatic(join(webDir, 'dist'), { fallthrough: false, maxAge: 0 }));
  r.use('/static', serveStatic(join(webDir, 'static'), { fallthrough: false, maxAge: 0 }));

  // Browsers ask for it on every page: an empty answer rather than a 404 in the console.
  r.get('/favicon.ico', (_req, res) => res.status(204).setHeader('Cache-Control', 'max-age=86400').end());

  r.get('/login', (_req, res) => res.sendFile(join(webDir, 'login.html'), noStore));

  r.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const json = Boolean(req.is('application/json'));
    const name = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    if (!name || !password) throw new HttpError(400, 'username and password are required');
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    // Too many failures: refused before the password is even checked.
    const wait = throttle.retryAfterS(address, name);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      if (json) throw new HttpError(429, `too many failed sign-ins: try again in ${Math.ceil(wait / 60)} min`);
      return res.redirect(303, `/login?error=throttled&next=${encodeURIComponent(next)}`);
    }
    const p = await checkLogin(deps.config, name, password);
    if (!p) {
      throttle.failed(address, name);
      if (json) throw new HttpError(401, 'wrong user name or password');
      return res.redirect(303, `/login?error=1&next=${encodeURIComponent(next)}`);
    }
    throttle.succeeded(address, name);
    const old = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (old) sessions.delete(old);
    const s = sessions.create(p);
    setSessionCookie(req, res, s.id, s.maxAgeS);
    if (json) return res.json({ user: p.user, role: p.role });
    // Wall users land on the wall.
    res.redirect(303, p.role === 'wall' && next === '/' ? '/wall' : next);
  });

  r.post('/logout', (req, res) => {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (sid) sessions.delete(sid);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.secure });
    if (req.is('application/json')) return res.json({ ok: true });
    res.redirect(303, '/login');
  });

  r.get('/api/me', requireRole('wall'), (_req, res) => {
    const p = principalOf(res)!;
    res.json({ user: p.user, role: p.role });
  });

  for (const [path, file, role] of pages) {
    r.get(path, requireRole(role), (_req, res) => res.sendFile(join(webDir, file), noStore));
  }
  return r;
}
