-- Sign-in sessions, kept across restarts. Only a SHA-256 of each session id is stored: a copy of
-- the database does not let anyone sign in. A kiosk (wall token) session names its token by
-- the token's hash, so a flood of /wall?token= requests reuses that token's few sessions.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,         -- sha256 hex of the cookie value
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('session', 'token')),
  token_hash TEXT,                  -- sha256 hex of the wall token (kiosk sessions only)
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL       -- absolute end; idle expiry is last_seen_at + the idle limit
) WITHOUT ROWID;
CREATE INDEX sessions_token ON sessions(token_hash, last_seen_at) WHERE token_hash IS NOT NULL;
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Prometheus counters (/metrics *_total): per UTC hour and host, the counts a flush of that
-- hour found, and their running totals. A flush adds the growth of an hour to the totals, so
-- the totals only grow, and the retention purge of detail rows never lowers them.
CREATE TABLE counter_hour (
  bucket_at INTEGER NOT NULL,
  host TEXT NOT NULL,
  metric TEXT NOT NULL,             -- connections, received, delivered, rejects:<class>, logins:<protocol>:<ok|failed>
  n INTEGER NOT NULL,
  PRIMARY KEY (bucket_at, host, metric)
) WITHOUT ROWID;

CREATE TABLE counter_total (
  host TEXT NOT NULL,
  metric TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (host, metric)
) WITHOUT ROWID;
