-- Who searched and traced what: every operator search and trace, readable by admins.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,              -- unix seconds UTC
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,             -- search, trace
  query TEXT NOT NULL,              -- JSON of the request parameters
  client_ip TEXT
);
CREATE INDEX audit_at ON audit(at);

-- Operator search matches addresses case-insensitively: these indexes make that an index lookup.
CREATE INDEX messages_sender_nocase ON messages(sender COLLATE NOCASE);
CREATE INDEX deliveries_recipient_nocase ON deliveries(recipient COLLATE NOCASE);
CREATE INDEX rejects_sender_nocase ON rejects(sender COLLATE NOCASE);
CREATE INDEX rejects_recipient_nocase ON rejects(recipient COLLATE NOCASE);
CREATE INDEX verdicts_message ON verdicts(message_row);
-- Most rejects are NOQUEUE (no message): index only those that have one.
CREATE INDEX rejects_message ON rejects(message_row) WHERE message_row IS NOT NULL;
CREATE INDEX logins_protocol_at ON logins(at, protocol, success);
