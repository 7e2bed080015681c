// Users, roles and the middleware that states the role each route needs. Sessions are kept in
// SQLite (sessions.ts). Cookie: postino_session, httpOnly, SameSite=Strict, and Secure when the
// request came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config, UserRole } from '../../core/config/schema';
import { HttpError } from './errors';
import { verifyPassword } from './passwords';
import { Sessions, sha256Hex, type Principal } from './sessions';

export type Role = UserRole;
export type { Principal };
export { Sessions };
export const roleRank: Record<Role, number> = { wall: 0, manager: 1, operator: 2, admin: 3 };

export const SESSION_COOKIE = 'postino_session';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k && !(k in out)) {
      try {
        out[k] = decodeURIComponent(v);
      } catch {
        out[k] = v;
      }
    }
  }
  return out;
}

function sha(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time check of a presented token against the configured wall tokens. */
export function isWallToken(config: Config, token: string | undefined): boolean {
  if (!token) return false;
  const t = sha(token);
  let ok = false;
  for (const w of config.server.wall_tokens) if (timingSafeEqual(sha(w), t)) ok = true;
  return ok;
}

/** Checks a user name and password against config.users (scrypt off the event loop). */
export async function checkLogin(config: Config, name: string, password: string): Promise<Omit<Principal, 'key'> | null> {
  const u = config.users.find((x) => x.name === name);
  if (!u) {
    // Same work for unknown users: no timing oracle for which names exist.
    await verifyPassword(password, 'scrypt$00000000000000000000000000000000$' + '0'.repeat(64));
    return null;
  }
  return (await verifyPassword(password, u.password)) ? { user: u.name, role: u.role, via: 'session' } : null;
}

/** Secure when the request is HTTPS (req.secure believes X-Forwarded-Proto only from a trusted proxy). */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeS: number): void {
  res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeS * 1000, secure: req.secure });
}

export function principalOf(res: Response): Principal | null {
  return (res.locals.principal as Principal | undefined) ?? null;
}

/**
 * Finds who is asking: the session cookie, else `Authorization: Bearer <wall token>`, else a
 * `?token=` wall token (on /wall, which then sets a session cookie, and on /api/live, whose
 * EventSource cannot send headers). Sets res.locals.principal; never rejects by itself.
 */
export function authenticate(config: Config, sessions: Sessions): RequestHandler {
  return (req, res, next) => {
    const cookies = parseCookies(req.headers.cookie);
    const sid = cookies[SESSION_COOKIE];
    let p: Principal | null = sid ? sessions.get(sid) : null;
    // A configured wall token in the query wins on /wall, so a kiosk URL always works.
    const qToken = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (qToken && (req.path === '/wall' || req.path === '/api/live')) {
      if (!p && isWallToken(config, qToken)) {
        p = tokenPrincipal(qToken);
        // One of the token's few kiosk sessions (the oldest of that token gives way).
        if (req.path === '/wall') {
          const s = sessions.create({ user: 'wall', role: 'wall', via: 'token' }, qToken);
          setSessionCookie(req, res, s.id, s.maxAgeS);
        }
      }
    }
    if (!p) {
      const auth = req.headers.authorization;
      if (auth && auth.startsWith('Bearer ')) {
        const tok = auth.slice(7).trim();
        if (isWallToken(config, tok)) p = tokenPrincipal(tok);
      }
    }
    res.locals.principal = p;
    next();
  };
}

function tokenPrincipal(token: string): Principal {
  return { user: 'wall', role: 'wall', via: 'token', key: `token:${sha256Hex(token)}` };
}

function isApi(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/metrics';
}

/** The role a route needs: no principal → 401 (API) or a redirect to /login (pages); too low → 403. */
export function requireRole(role: Role): RequestHandler {
  return (req, res, next) => {
    const p = principalOf(res);
    if (!p) {
      if (isApi(req) || req.method !== 'GET') return next(new HttpError(401, 'authentication required'));
      const nextUrl = req.originalUrl.startsWith('/') ? req.originalUrl : '/';
      return res.redirect(302, `/login?next=${encodeURIComponent(nextUrl)}`);
    }
    if (roleRank[p.role] < roleRank[role]) return next(new HttpError(403, `this needs the ${role} role; you are ${p.role}`));
    next();
  };
}

export function hasRole(p: Principal | null, role: Role): boolean {
  return !!p && roleRank[p.role] >= roleRank[role];
}

/** Only same-site relative paths are followed after login. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
