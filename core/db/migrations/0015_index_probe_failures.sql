-- The failures of each probe, in time order: the outage query (sla/probe-outages.ts) seeks the
-- next failure of a probe without walking its successes (8,640 a day at a 10 s interval).
-- Partial: failures are few, so the index stays small.
CREATE INDEX probe_results_failures ON probe_results(probe, at) WHERE ok = 0;
