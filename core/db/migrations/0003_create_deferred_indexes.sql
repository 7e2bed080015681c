-- Secondary indexes a bulk ingest dropped, to build again when it ends (server/db/deferred-indexes.ts).
-- owner_pid: the ingest that dropped them; another process rebuilds them only once it is gone.
CREATE TABLE deferred_indexes (
  name TEXT PRIMARY KEY,
  sql TEXT NOT NULL,
  owner_pid INTEGER NOT NULL
) WITHOUT ROWID;
