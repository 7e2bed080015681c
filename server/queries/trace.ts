// One message's whole story: the family of queue-id lives (the root and what the content
// filter re-injected), every line in time order, the outcome per recipient, the Amavis
// verdict and the rejects.
import type { Db } from '../../core/db/open';
import type { RejectRow } from './search';

export interface TraceMessage {
  id: number;
  parent_id: number | null;
  host: string;
  qid: string;
  first_at: number;
  removed_at: number | null;
  origin: string;
  client_ip: string | null;
  client_host: string | null;
  sasl_username: string | null;
  sender: string | null;
  size_bytes: number | null;
  nrcpt: number | null;
  message_id: string | null;
  verdict: string | null;
  spam_score: number | null;
  status: string;
}

export interface TraceLine {
  at: number;
  host: string;
  program: string;
  message_row: number;
  text: string;
}

export interface RecipientOutcome {
  recipient: string;
  orig_recipient: string | null;
  status: string;
  at: number;
  host: string;
  relay: string;
  hop: string;
  dsn: string | null;
  reply: string;
  attempts: number;
}

export interface Trace {
  id: number;
  root_id: number;
  messages: TraceMessage[];
  lines: TraceLine[];
  recipients: RecipientOutcome[];
  verdicts: Array<{ at: number; host: string; action: string; verdict: string; category: string; hits: number | null; detail: string | null; originating: number }>;
  rejects: RejectRow[];
}

export function trace(db: Db, id: number): Trace | null {
  const row = db.prepare(`SELECT id, coalesce(root_id, id) AS root_id FROM messages WHERE id = ?`).get(id) as { id: number; root_id: number } | undefined;
  if (!row) return null;
  const root = row.root_id;
  const messages = db
    .prepare(
      `SELECT id, parent_id, host, qid, first_at, removed_at, origin, client_ip, client_host, sasl_username, sender, size_bytes, nrcpt,
              message_id, verdict, spam_score, status
         FROM messages WHERE id = @root OR root_id = @root ORDER BY first_at, id`,
    )
    .all({ root }) as TraceMessage[];
  const ids = messages.map((m) => m.id);
  const idList = JSON.stringify(ids);
  const lines = db
    .prepare(
      `SELECT at, host, program, message_row, text FROM message_lines
        WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY at, group_id, pos`,
    )
    .all(idList) as TraceLine[];
  const deliveries = db
    .prepare(
      `SELECT id, at, host, recipient, orig_recipient, status, relay, hop, dsn, reply FROM deliveries
        WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY at, id`,
    )
    .all(idList) as Array<Omit<RecipientOutcome, 'attempts'> & { id: number }>;
  // The outcome per recipient is its last final-hop line (mailbox, remote relay or none);
  // the hop into the content filter only counts when nothing followed it.
  // attempts: delivery lines of the final hop (deferrals then success), or of the filter hop when nothing followed
  const byRcpt = new Map<string, { final: (typeof deliveries)[number] | null; any: (typeof deliveries)[number]; finalAttempts: number; filterAttempts: number }>();
  for (const d of deliveries) {
    const key = d.recipient.toLowerCase();
    const e = byRcpt.get(key) ?? { final: null, any: d, finalAttempts: 0, filterAttempts: 0 };
    e.any = d;
    if (d.hop !== 'filter') {
      e.final = d;
      e.finalAttempts++;
    } else e.filterAttempts++;
    byRcpt.set(key, e);
  }
  const recipients: RecipientOutcome[] = [...byRcpt.values()].map(({ final, any, finalAttempts, filterAttempts }) => {
    const d = final ?? any;
    const attempts = final ? finalAttempts : filterAttempts;
    return {
      recipient: d.recipient,
      orig_recipient: d.orig_recipient,
      status: final ? d.status : d.status === 'sent' ? 'in content filter' : d.status,
      at: d.at,
      host: d.host,
      relay: d.relay,
      hop: d.hop,
      dsn: d.dsn,
      reply: d.reply,
      attempts,
    };
  });
  const verdicts = db
    .prepare(
      `SELECT at, host, action, verdict, category, hits, detail, originating FROM verdicts
        WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY at`,
    )
    .all(idList) as Trace['verdicts'];
  const rejects = db
    .prepare(
      `SELECT id, at, host, service, action, client_ip, client_host, helo, sender, recipient, code, reason_class, reply FROM rejects
        WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY at`,
    )
    .all(idList) as RejectRow[];
  return { id, root_id: root, messages, lines, recipients, verdicts, rejects };
}
