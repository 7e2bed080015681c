-- Numbered 0021, not 0011: databases already migrated past 0015 on main would skip a lower number.
-- Availability accounting (sla/). Three things the logs alone did not keep:
-- 1. service_events gain the port a client could not reach (24 = LMTP to a mailbox server,
--    10024 = the content filter) and the log line itself, the evidence an outage shows.
ALTER TABLE service_events ADD COLUMN port INTEGER;
ALTER TABLE service_events ADD COLUMN line TEXT;
CREATE INDEX service_events_host_at ON service_events(host, at);

-- 2. Which minutes each host logged anything in: bit m of `lo` (minutes 0-29) or of `hi`
--    (minutes 30-59, bit m-30) of the UTC hour. A host quiet while its peers log is an
--    outage; a minute no host logged in (and no probe ran) is unknown, never up.
--    Rows are OR-ed into (never counted), so a line read twice changes nothing.
CREATE TABLE host_activity (
  hour_at INTEGER NOT NULL,         -- unix seconds of the UTC hour's start
  host TEXT NOT NULL,
  lo INTEGER NOT NULL DEFAULT 0,
  hi INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_at, host)
) WITHOUT ROWID;

-- 3. Maintenance windows declared afterwards by an admin through the API (the planned
--    ones live in the config's sla.maintenance).
CREATE TABLE sla_maintenance (
  id INTEGER PRIMARY KEY,
  from_at INTEGER NOT NULL,
  to_at INTEGER NOT NULL,
  services TEXT NOT NULL DEFAULT '[]', -- JSON array of service names; [] = every service
  reason TEXT NOT NULL,
  declared_by TEXT NOT NULL,
  declared_at INTEGER NOT NULL
);
CREATE INDEX sla_maintenance_from ON sla_maintenance(from_at);
