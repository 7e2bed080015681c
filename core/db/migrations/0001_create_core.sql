-- Core tables. Columns carry their unit: *_at = unix seconds UTC, *_ms, *_bytes.

-- One row per log source (file identity or journal), with its checkpoint. Updated in the
-- same transaction as the rows its lines produced.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'journal', 'stdin')),
  path TEXT NOT NULL,               -- last path the source was seen at
  dev INTEGER,
  ino INTEGER,
  fingerprint TEXT,                 -- sha1 hex of the first fp_bytes bytes
  fp_bytes INTEGER NOT NULL DEFAULT 0,
  compressed INTEGER NOT NULL DEFAULT 0,
  offset_bytes INTEGER NOT NULL DEFAULT 0, -- bytes consumed (decompressed bytes for .gz)
  size_bytes INTEGER NOT NULL DEFAULT 0,   -- size when last read
  cursor TEXT,                      -- journald cursor
  lines INTEGER NOT NULL DEFAULT 0,
  recognised INTEGER NOT NULL DEFAULT 0,
  unparsed INTEGER NOT NULL DEFAULT 0,
  last_line_at REAL,                -- log time of the last line read
  updated_at INTEGER NOT NULL       -- wall clock of the last commit
);
CREATE INDEX sources_identity ON sources(dev, ino);

-- Unrecognised lines, per program, so a new log shape is noticed.
CREATE TABLE unparsed_counts (
  program TEXT PRIMARY KEY,
  n INTEGER NOT NULL,
  sample TEXT NOT NULL,
  last_at REAL
);

-- Open correlation records (queue ids, sessions), persisted with the checkpoint.
CREATE TABLE correlator_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Postscreen connections arrive a million a day: they are tallied per minute and host
-- (metric: connect, pass, outcome:<dnsbl|pregreet|hangup|pass-old|...>) in the same
-- transaction as the checkpoint, which keeps the counts exact without a row per connection.
CREATE TABLE connection_tally (
  minute_at INTEGER NOT NULL,       -- UTC minute start
  host TEXT NOT NULL,
  metric TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (minute_at, host, metric)
) WITHOUT ROWID;

-- smtpd sessions on hosts without postscreen (one row each: few, and they carry the client).
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,              -- connect line
  host TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('smtpd')),
  client_ip TEXT,
  client_host TEXT,
  outcome TEXT NOT NULL,            -- open, disconnect, auth
  auth_attempted INTEGER NOT NULL DEFAULT 0,
  counted INTEGER NOT NULL          -- 1 = an inbound connection per METRICS.md
);
CREATE INDEX connections_at ON connections(at, counted);

-- One row per queue id life (host, qid, first seen).
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL,
  qid TEXT NOT NULL,
  first_at INTEGER NOT NULL,
  removed_at INTEGER,
  origin TEXT NOT NULL CHECK (origin IN ('inbound', 'submission', 'reinjected', 'local', 'unknown')),
  parent_id INTEGER REFERENCES messages(id),  -- the message this was re-injected from
  root_id INTEGER,                           -- first ancestor (itself when none)
  client_ip TEXT,
  client_host TEXT,
  sasl_username TEXT,
  sender TEXT,
  size_bytes INTEGER,
  nrcpt INTEGER,
  message_id TEXT,                  -- Message-ID header
  received_at INTEGER,              -- qmgr from= of a message received from outside
  submitted_at INTEGER,             -- qmgr from= of a SASL-submitted message
  delivered_at INTEGER,             -- (on the root) first final delivery with status=sent
  verdict TEXT,                     -- Amavis verdict, e.g. CLEAN, SPAMMY, SPAM
  spam_score REAL,
  status TEXT NOT NULL DEFAULT 'open' -- open, delivered, bounced, rejected, blocked, expired, removed
);
CREATE INDEX messages_qid ON messages(qid);
CREATE INDEX messages_first_at ON messages(first_at);
CREATE INDEX messages_received_at ON messages(received_at) WHERE received_at IS NOT NULL;
CREATE INDEX messages_submitted_at ON messages(submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX messages_delivered_at ON messages(delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX messages_root ON messages(root_id);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_client_ip ON messages(client_ip);
-- (addresses are indexed case-insensitively in 0002, as the operator search matches them)

-- Every delivery attempt line (status=sent/deferred/bounced/...).
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  message_row INTEGER REFERENCES messages(id),
  agent TEXT NOT NULL,
  recipient TEXT NOT NULL,
  orig_recipient TEXT,
  relay TEXT NOT NULL,
  status TEXT NOT NULL,
  dsn TEXT,
  delay_ms INTEGER,
  reply TEXT NOT NULL,
  hop TEXT NOT NULL CHECK (hop IN ('filter', 'mailbox', 'remote', 'none'))
);
CREATE INDEX deliveries_at ON deliveries(at);
CREATE INDEX deliveries_message ON deliveries(message_row);

-- Every reject/milter-reject/hold/discard/warn line (postscreen, smtpd, cleanup).
CREATE TABLE rejects (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  service TEXT NOT NULL,
  action TEXT NOT NULL,
  qid TEXT,
  message_row INTEGER REFERENCES messages(id),
  stage TEXT,
  client_ip TEXT,
  client_host TEXT,
  helo TEXT,
  sender TEXT,
  recipient TEXT,
  code INTEGER,
  enhanced TEXT,
  reason_class TEXT NOT NULL,
  reply TEXT NOT NULL,
  greylist INTEGER NOT NULL
);
CREATE INDEX rejects_at ON rejects(at);
CREATE INDEX rejects_client_ip ON rejects(client_ip);

-- Amavis verdict lines; category is the METRICS.md bucket.
CREATE TABLE verdicts (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  message_row INTEGER REFERENCES messages(id),
  qid TEXT,
  action TEXT NOT NULL,
  verdict TEXT NOT NULL,
  detail TEXT,
  originating INTEGER NOT NULL,
  hits REAL,
  size_bytes INTEGER,
  message_id TEXT,
  client_ip TEXT,
  sender TEXT,
  recipients TEXT,
  queued_as TEXT,
  category TEXT NOT NULL CHECK (category IN ('clean', 'spam_tagged', 'spam_blocked', 'virus_blocked', 'outbound_spam_blocked', 'other'))
);
CREATE INDEX verdicts_at ON verdicts(at);

-- IMAP/POP logins, one per session (a proxied session is one login).
CREATE TABLE logins (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  protocol TEXT NOT NULL,
  username TEXT,
  success INTEGER NOT NULL,
  method TEXT,
  rip TEXT,
  lip TEXT,
  session TEXT,
  backend TEXT
);
CREATE UNIQUE INDEX logins_session ON logins(session) WHERE session IS NOT NULL;
CREATE INDEX logins_at ON logins(at);
CREATE INDEX logins_username ON logins(username, at);

-- Failed SMTP AUTH.
CREATE TABLE auth_failures (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  client_ip TEXT,
  client_host TEXT,
  mechanism TEXT,
  username TEXT,
  reason TEXT NOT NULL
);
CREATE INDEX auth_failures_at ON auth_failures(at);

-- Daemon start/stop and "unreachable" reports: the raw material of availability.
CREATE TABLE service_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  host TEXT NOT NULL,
  daemon TEXT NOT NULL,             -- postfix, postfix-out, dovecot, amavis, ...
  event TEXT NOT NULL,              -- start, stop, reload, fatal, killed, refused, unreachable
  target TEXT                       -- for refused/unreachable: the host that did not answer
);
CREATE INDEX service_events_at ON service_events(at);

-- Lines of each message, for the trace.
CREATE TABLE message_lines (
  message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  at REAL NOT NULL,
  host TEXT NOT NULL,
  program TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX message_lines_row ON message_lines(message_row, at);

-- Rollups, recomputed by whole bucket.
CREATE TABLE rollup_hour (
  bucket_at INTEGER PRIMARY KEY,    -- UTC hour start
  figures TEXT NOT NULL,            -- JSON of the daily-summary fields for that hour
  computed_at INTEGER NOT NULL
);
CREATE TABLE rollup_day (
  tz TEXT NOT NULL,
  date TEXT NOT NULL,
  figures TEXT NOT NULL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (tz, date)
) WITHOUT ROWID;
-- UTC hours touched by ingest and not yet rolled up.
CREATE TABLE dirty_hours (bucket_at INTEGER PRIMARY KEY) WITHOUT ROWID;
