-- Lines of programs postino does not read (cron, sshd, kernel, systemd ...) are counted apart
-- from `unparsed`, which keeps only the mail daemons' lines no parser recognised: on a central
-- syslog a new Postfix line shape must not drown among other programs' lines.
-- Counts written before this migration stay where they were (in unparsed).
ALTER TABLE sources ADD COLUMN other INTEGER NOT NULL DEFAULT 0;

-- No sample line: other programs' lines (sshd's user names and addresses) are not ours to show.
CREATE TABLE other_counts (
  program TEXT PRIMARY KEY,
  n INTEGER NOT NULL,
  last_at REAL
);
