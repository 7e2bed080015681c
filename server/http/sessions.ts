// Sign-in sessions in SQLite (migration 0009), so a restart signs nobody out. The cookie carries
// a random id; the table holds only its SHA-256. A user's session ends after
// access.session_idle_minutes without a request, and session_max_hours after sign-in. A wall
// (kiosk) session lives wall_session_days, and ends after wall_session_idle_hours without a
// request (a working wall asks every minute: a screen switched off or carried away stops
// holding a session); each wall token keeps at most
// kiosk_sessions_per_token of them, the oldest of that token giving way to a new one, so a
// flood of /wall?token= requests never touches anyone else's session.
import { randomBytes, createHash } from 'node:crypto';
import type { Db } from '../../core/db/open';
import type { AccessConfig } from '../../core/config/access-schema';
import type { UserRole } from '../../core/config/schema';

export interface Principal {
  user: string;
  role: UserRole;
  via: 'session' | 'token';
  /** what the live feed counts streams by: the session's hash, or the wall token's */
  key: string;
}

export interface SessionRow {
  /** the first 16 hex digits of the id's hash: enough to name it, useless to sign in with */
  handle: string;
  user: string;
  role: string;
  via: string;
  kiosk: boolean;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/** A last-seen time is written at most this often per session: a page's burst of API calls is one write. */
const TOUCH_EVERY_S = 60;
export const HANDLE_LENGTH = 16;

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export class Sessions {
  private readonly st;

  constructor(
    private readonly db: Db,
    private readonly access: AccessConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.st = {
      insert: db.prepare(`INSERT INTO sessions (id_hash, user, role, via, token_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      get: db.prepare(`SELECT user, role, via, token_hash, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`),
      touch: db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`),
      del: db.prepare(`DELETE FROM sessions WHERE id_hash = ?`),
      // keeps the new session and the token's most recently used others, pool - 1 of them
      trimKiosk: db.prepare(
        `DELETE FROM sessions WHERE token_hash = @token AND id_hash != @keep AND id_hash NOT IN
           (SELECT id_hash FROM sessions WHERE token_hash = @token AND id_hash != @keep ORDER BY last_seen_at DESC, created_at DESC LIMIT @others)`,
      ),
      sweep: db.prepare(
        `DELETE FROM sessions WHERE expires_at <= @now OR (token_hash IS NULL AND role != 'wall' AND last_seen_at <= @idle) OR (role = 'wall' AND last_seen_at <= @wallIdle)`,
      ),
      list: db.prepare(`SELECT id_hash, user, role, via, token_hash, created_at, last_seen_at, expires_at FROM sessions ORDER BY last_seen_at DESC`),
      revoke: db.prepare(`DELETE FROM sessions WHERE substr(id_hash, 1, ${HANDLE_LENGTH}) = ?`),
      revokeUser: db.prepare(`DELETE FROM sessions WHERE user = ?`),
    };
  }

  private nowS(): number {
    return Math.floor(this.now() / 1000);
  }

  private idleS(role: string): number {
    return role === 'wall' ? this.access.wall_session_idle_hours * 3600 : this.access.session_idle_minutes * 60;
  }

  private sweep(t: number): void {
    this.st.sweep.run({ now: t, idle: t - this.idleS('user'), wallIdle: t - this.idleS('wall') });
  }

  /** A new session for principal (a kiosk session when wallToken is given). */
  create(principal: Omit<Principal, 'key'>, wallToken?: string): { id: string; maxAgeS: number } {
    const id = randomBytes(32).toString('base64url');
    const t = this.nowS();
    const ttl = principal.role === 'wall' ? this.access.wall_session_days * 86400 : this.access.session_max_hours * 3600;
    const tokenHash = wallToken === undefined ? null : sha256Hex(wallToken);
    this.db.transaction(() => {
      this.sweep(t);
      const h = sha256Hex(id);
      this.st.insert.run(h, principal.user, principal.role, principal.via, tokenHash, t, t, t + ttl);
      if (tokenHash !== null) this.st.trimKiosk.run({ token: tokenHash, keep: h, others: this.access.kiosk_sessions_per_token - 1 });
    })();
    return { id, maxAgeS: ttl };
  }

  /** The principal of a live session (its last-seen time refreshed), else null. */
  get(id: string): Principal | null {
    const h = sha256Hex(id);
    const s = this.st.get.get(h) as { user: string; role: UserRole; via: 'session' | 'token'; token_hash: string | null; last_seen_at: number; expires_at: number } | undefined;
    if (!s) return null;
    const t = this.nowS();
    const idle = s.last_seen_at + this.idleS(s.role) <= t;
    if (s.expires_at <= t || idle) {
      this.st.del.run(h);
      return null;
    }
    if (t - s.last_seen_at >= TOUCH_EVERY_S) this.st.touch.run(t, h);
    return { user: s.user, role: s.role, via: s.via, key: s.token_hash !== null ? `token:${s.token_hash}` : `session:${h}` };
  }

  delete(id: string): void {
    this.st.del.run(sha256Hex(id));
  }

  /** Live sessions, most recently used first (expired ones are dropped first). */
  list(): SessionRow[] {
    const t = this.nowS();
    this.sweep(t);
    return (this.st.list.all() as Array<{ id_hash: string; user: string; role: string; via: string; token_hash: string | null; created_at: number; last_seen_at: number; expires_at: number }>).map((r) => ({
      handle: r.id_hash.slice(0, HANDLE_LENGTH),
      user: r.user,
      role: r.role,
      via: r.via,
      kiosk: r.token_hash !== null,
      created_at: r.created_at,
      last_seen_at: r.last_seen_at,
      expires_at: r.expires_at,
    }));
  }

  /** Ends the session named by its handle; returns how many ended (0 or 1). */
  revoke(handle: string): number {
    return this.st.revoke.run(handle.toLowerCase()).changes;
  }

  /** Ends every session of a user; returns how many ended. */
  revokeUser(user: string): number {
    return this.st.revokeUser.run(user).changes;
  }
}
