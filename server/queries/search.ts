// Operator search: exact queue id, Message-ID (with or without <>), address (sender or
// recipient, case-insensitive) or client IP. Every branch is an index lookup.
import type { Db } from '../../core/db/open';
import { isIP } from 'node:net';

export const PAGE_SIZE = 50;

export type SearchKind = 'ip' | 'address' | 'message-id' | 'queue-id';

export interface SearchRow {
  id: number;
  root_id: number;
  host: string;
  qid: string;
  first_at: number;
  origin: string;
  sender: string | null;
  recipients: string[];
  client_ip: string | null;
  client_host: string | null;
  message_id: string | null;
  verdict: string | null;
  spam_score: number | null;
  status: string;
}

export interface RejectRow {
  id: number;
  at: number;
  host: string;
  service: string;
  action: string;
  client_ip: string | null;
  client_host: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  code: number | null;
  reason_class: string;
  reply: string;
}

export interface SearchResult {
  q: string;
  kind: SearchKind;
  page: number;
  page_size: number;
  total: number;
  messages: SearchRow[];
  /** rejects that match the same query (NOQUEUE rejects have no message), first page only */
  rejects: RejectRow[];
}

export function classify(q: string): SearchKind {
  if (isIP(q)) return 'ip';
  if (/^<.*>$/.test(q)) return 'message-id';
  if (q.includes('@')) return 'address';
  return 'queue-id';
}

function stripBrackets(s: string): string {
  return s.replace(/^<|>$/g, '');
}

export function search(db: Db, q: string, range: { start: number; end: number } | null, page: number): SearchResult {
  const kind = classify(q);
  const bare = stripBrackets(q);
  const params: Record<string, unknown> = { q, bare, bracketed: `<${bare}>`, start: range?.start ?? 0, end: range?.end ?? 2 ** 53 };
  let idSql: string;
  let rejectSql: string | null = null;
  switch (kind) {
    case 'ip':
      idSql = `SELECT id FROM messages WHERE client_ip = @q`;
      rejectSql = `client_ip = @q`;
      break;
    case 'message-id':
      idSql = `SELECT id FROM messages WHERE message_id IN (@bare, @bracketed)`;
      break;
    case 'address':
      // An address may also be a Message-ID written without brackets.
      idSql = `SELECT id FROM messages WHERE lower(sender) = lower(@q)
               UNION SELECT message_row FROM deliveries WHERE lower(recipient) = lower(@q) AND message_row IS NOT NULL
               UNION SELECT id FROM messages WHERE message_id IN (@bare, @bracketed)`;
      // lower(): the expression indexes of migration 0005
      rejectSql = `(lower(sender) = lower(@q) OR lower(recipient) = lower(@q))`;
      break;
    case 'queue-id':
      idSql = `SELECT id FROM messages WHERE qid = @q UNION SELECT id FROM messages WHERE message_id IN (@bare, @bracketed)`;
      rejectSql = `qid = @q`;
      break;
  }
  const base = `FROM messages m WHERE m.id IN (${idSql}) AND m.first_at >= @start AND m.first_at < @end`;
  const total = (db.prepare(`SELECT count(*) AS n ${base}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT m.id, coalesce(m.root_id, m.id) AS root_id, m.host, m.qid, m.first_at, m.origin, m.sender, m.client_ip, m.client_host,
              m.message_id, m.verdict, m.spam_score, m.status,
              (SELECT json_group_array(DISTINCT d.recipient) FROM deliveries d WHERE d.message_row = m.id) AS recipients
       ${base} ORDER BY m.first_at DESC, m.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }) as Array<Omit<SearchRow, 'recipients'> & { recipients: string | null }>;
  const messages = rows.map((r) => ({ ...r, recipients: r.recipients ? (JSON.parse(r.recipients) as string[]) : [] }));
  const rejects =
    rejectSql && page === 1
      ? (db
          .prepare(
            `SELECT id, at, host, service, action, client_ip, client_host, helo, sender, recipient, code, reason_class, reply
               FROM rejects WHERE ${rejectSql} AND at >= @start AND at < @end ORDER BY at DESC LIMIT ${PAGE_SIZE}`,
          )
          .all(params) as RejectRow[])
      : [];
  return { q, kind, page, page_size: PAGE_SIZE, total, messages, rejects };
}
