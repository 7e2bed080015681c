-- Case-insensitive address and login searches through lower(x) expression indexes instead of
-- COLLATE NOCASE ones. Same matches (both fold ASCII letters only, SQLite without ICU), but an
-- index on lower(x) is built with plain byte comparisons: a seed-scale day's bulk ingest builds
-- these indexes at its end (deferred-indexes.ts), and NOCASE's comparisons made them a third
-- slower. The searches say `lower(col) = lower(?)`.
-- logins_username (username, at) could not serve `username = ? COLLATE NOCASE` at all.
DROP INDEX IF EXISTS messages_sender_nocase;
DROP INDEX IF EXISTS deliveries_recipient_nocase;
DROP INDEX IF EXISTS rejects_sender_nocase;
DROP INDEX IF EXISTS rejects_recipient_nocase;
DROP INDEX IF EXISTS logins_username;
-- A bulk ingest killed with its indexes deferred left their old definitions to build again.
DELETE FROM deferred_indexes
 WHERE name IN ('messages_sender_nocase', 'deliveries_recipient_nocase', 'rejects_sender_nocase', 'rejects_recipient_nocase', 'logins_username');
CREATE INDEX messages_sender_lower ON messages(lower(sender));
CREATE INDEX deliveries_recipient_lower ON deliveries(lower(recipient));
CREATE INDEX rejects_sender_lower ON rejects(lower(sender));
CREATE INDEX rejects_recipient_lower ON rejects(lower(recipient));
CREATE INDEX logins_username_lower ON logins(lower(username), at);
