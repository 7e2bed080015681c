-- What retention purged from an hour, so that a late line for that hour adds to its figures
-- instead of replacing them: an hour's figures are its base plus what its remaining detail rows
-- give. A base is the hour's figures just before a purge minus what the rows left after it give.
CREATE TABLE rollup_hour_base (
  bucket_at INTEGER PRIMARY KEY,    -- UTC hour start
  figures TEXT NOT NULL             -- JSON of the daily-summary fields purged from that hour
) WITHOUT ROWID;
