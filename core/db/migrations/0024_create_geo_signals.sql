-- Country figures and compromised-account signals (docs/geoip-signals.md).
-- Numbered 0024, not 0014: main already had 0015 when this landed, and a database migrated to
-- 0015 would never run a 0014 (migrations are tracked by user_version).

-- Postscreen connections and their outcomes by client country, per UTC hour. Countries are
-- resolved once per distinct address as the connections are tallied (a cached lookup), so no
-- row per connection or per address is written. metric: connect, outcome:<pass-old|dnsbl|...>.
-- country: ISO code, or a label: private, loopback, site, unknown.
CREATE TABLE geo_hour (
  hour_at INTEGER NOT NULL,         -- UTC hour start
  country TEXT NOT NULL,
  metric TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (hour_at, country, metric)
) WITHOUT ROWID;

-- Country figures per local day, recomputed whole: smtp:connect, smtp:outcome:<x> (from
-- geo_hour), login:<imap|pop3>, login_failed:<imap|pop3>, submission (from detail rows).
CREATE TABLE geo_day (
  tz TEXT NOT NULL,
  date TEXT NOT NULL,
  country TEXT NOT NULL,
  metric TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (tz, date, country, metric)
) WITHOUT ROWID;

-- UTC hours whose country figures are stale. Marked by a trigger on dirty_hours, so ingest
-- needs no change; BEFORE INSERT fires even when the INSERT OR IGNORE finds the hour there.
CREATE TABLE geo_dirty_hours (bucket_at INTEGER PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER dirty_hours_mark_geo BEFORE INSERT ON dirty_hours
BEGIN
  INSERT OR IGNORE INTO geo_dirty_hours (bucket_at) VALUES (NEW.bucket_at);
END;

-- Signals of compromised accounts and attacks. One row per episode: (kind, subject, first_at)
-- is stable when detection runs again over the same rows, so the operator's state survives.
CREATE TABLE signals (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,               -- outbound_burst, outbound_spam, bounce_burst, smtp_auth_bruteforce, login_bruteforce, new_country, impossible_travel
  subject TEXT NOT NULL,            -- a user name or a client address
  severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  count INTEGER NOT NULL,
  countries TEXT,                   -- JSON array of ISO codes, when the kind has them
  detail TEXT NOT NULL DEFAULT '',  -- why it fired, in words
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'closed')),
  note TEXT,
  state_by TEXT,
  state_at INTEGER,
  detected_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX signals_episode ON signals(kind, subject, first_at);
CREATE INDEX signals_last_at ON signals(last_at);
CREATE INDEX signals_state ON signals(state);
