-- Results of the active probes (SMTP, IMAP, POP3, HTTP(S), TLS certificate), one row per probe
-- run. Availability reads outages from them: a failure opens one, the next success closes it.
CREATE TABLE probe_results (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,              -- unix seconds UTC when the probe started
  probe TEXT NOT NULL,              -- the probe's configured name
  host TEXT NOT NULL,               -- host as named in the log (and in the config's hosts)
  service TEXT NOT NULL,            -- smtp-in, smtp-out, filter, imap, pop3, mailbox, webmail
  ok INTEGER NOT NULL,              -- 1 success, 0 failure
  latency_ms INTEGER,               -- time to the last step's answer; NULL when it never came
  detail TEXT NOT NULL DEFAULT '',  -- failure reason (never a password)
  cert_days_left REAL               -- days until the TLS certificate expires, when TLS was used
);
CREATE INDEX probe_results_at ON probe_results(at);
CREATE INDEX probe_results_probe_at ON probe_results(probe, at);
