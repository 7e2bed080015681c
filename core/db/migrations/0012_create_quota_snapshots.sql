-- Mailbox usage snapshots (`doveadm -f tab quota get -A`), one row per mailbox per local day:
-- importing the same day again replaces its rows. Mailbox names are personal data: only
-- totals and per-department sums leave the database.
CREATE TABLE quota_snapshots (
  date TEXT NOT NULL,               -- local date (config.timezone) the snapshot stands for
  mailbox TEXT NOT NULL,            -- the doveadm user name, lower case
  used_bytes INTEGER NOT NULL,      -- STORAGE value (doveadm prints KiB) x 1024
  limit_bytes INTEGER,              -- STORAGE limit x 1024; NULL = unlimited
  messages INTEGER,                 -- MESSAGE value, when the quota counts messages
  imported_at INTEGER NOT NULL,     -- unix seconds UTC
  PRIMARY KEY (date, mailbox)
) WITHOUT ROWID;
