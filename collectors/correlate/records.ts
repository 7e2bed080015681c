// Rows the correlator asks the store to write. Plain data: the correlator never touches
// the database, so it is tested with real lines and nothing else.
import type { HostActivity } from './host-activity';
import { emptyGeoCounts, type GeoCounts } from './country-codes';

/** An smtpd session on a host without postscreen. */
export interface ConnectionRow {
  id: number;
  at: number;
  host: string;
  kind: 'smtpd';
  clientIp: string | null;
  clientHost: string | null;
  outcome: string;
  authAttempted: boolean;
  counted: boolean;
}

export type MessageOrigin = 'inbound' | 'submission' | 'reinjected' | 'local' | 'unknown';

export interface MessageRow {
  id: number;
  host: string;
  qid: string;
  firstAt: number;
  origin: MessageOrigin;
}

/** Columns of `messages` that are filled in as the queue id's lines arrive. */
export interface MessageUpdate {
  removed_at?: number;
  origin?: MessageOrigin;
  parent_id?: number;
  root_id?: number;
  client_ip?: string;
  client_host?: string;
  sasl_username?: string | null;
  sender?: string;
  size_bytes?: number;
  nrcpt?: number;
  message_id?: string;
  received_at?: number;
  submitted_at?: number;
  delivered_at?: number;
  verdict?: string;
  spam_score?: number | null;
  status?: string;
}

export type Hop = 'filter' | 'mailbox' | 'remote' | 'none';

export interface DeliveryRow {
  at: number;
  host: string;
  messageRow: number | null;
  agent: string;
  recipient: string;
  origRecipient: string | null;
  relay: string;
  status: string;
  dsn: string | null;
  delayMs: number | null;
  reply: string;
  hop: Hop;
}

export interface RejectRow {
  at: number;
  host: string;
  service: string;
  action: string;
  qid: string | null;
  messageRow: number | null;
  stage: string | null;
  clientIp: string | null;
  clientHost: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  code: number | null;
  enhanced: string | null;
  reasonClass: string;
  reply: string;
  greylist: boolean;
}

/** A value of a packed row: what SQLite stores. */
export type Packed = string | number | null;

/**
 * Rejects that share their MX, service, action, queue id, message, stage, code, enhanced code,
 * reason and greylist flag (most of a batch's: postscreen's DNSBL rejects of one MX): the shared
 * values once, then REJECT_OWN_WIDTH values per row (at, clientIp, clientHost, helo, sender,
 * recipient, reply). The reading thread of a bulk ingest sends its rejects so (a structured
 * clone copies every key of an object and every string, about 200,000 rejects a day), and the
 * store reads the shared values once per group (sqlite-store.ts).
 */
export interface RejectGroup {
  /** host, service, action, qid, messageRow, stage, code, enhanced, reasonClass, greylist (0/1) */
  shared: Packed[];
  rows: Packed[];
}
export const REJECT_OWN_WIDTH = 7;

/** A text as `length:text`, or `-` when there is none. */
function t(s: string | null): string {
  return s === null ? '-' : `${s.length}:${s}`;
}

export function groupRejects(rows: readonly RejectRow[]): RejectGroup[] {
  const groups = new Map<string, RejectGroup>();
  // The group each MX's last row went to. A row is compared with it field by field before any
  // key is built: the MXs' lines interleave, but each one's rejects are mostly one group, and
  // building and hashing the key for every row was a measurable part of a day's ingest.
  const lastOfHost = new Map<string, RejectGroup>();
  for (const r of rows) {
    let g = lastOfHost.get(r.host);
    if (g === undefined || !sharesGroup(g.shared, r)) {
      // each text length-prefixed, `-` for none: no two different rows share a key, whatever a
      // hostile log puts in them (a stage "null", a separator inside a value)
      const key = `${t(r.host)}${t(r.service)}${t(r.action)}${t(r.qid)}${r.messageRow ?? '-'},${t(r.stage)}${r.code ?? '-'},${t(r.enhanced)}${t(r.reasonClass)}${r.greylist ? 1 : 0}`;
      g = groups.get(key);
      if (g === undefined) {
        g = { shared: [r.host, r.service, r.action, r.qid, r.messageRow, r.stage, r.code, r.enhanced, r.reasonClass, r.greylist ? 1 : 0], rows: [] };
        groups.set(key, g);
      }
      lastOfHost.set(r.host, g);
    }
    g.rows.push(r.at, r.clientIp, r.clientHost, r.helo, r.sender, r.recipient, r.reply);
  }
  return [...groups.values()];
}

/** Whether `r` has the shared values of a group of its own host. */
function sharesGroup(shared: Packed[], r: RejectRow): boolean {
  return (
    shared[1] === r.service &&
    shared[2] === r.action &&
    shared[3] === r.qid &&
    shared[4] === r.messageRow &&
    shared[5] === r.stage &&
    shared[6] === r.code &&
    shared[7] === r.enhanced &&
    shared[8] === r.reasonClass &&
    shared[9] === (r.greylist ? 1 : 0)
  );
}

export type VerdictCategory = 'clean' | 'spam_tagged' | 'spam_blocked' | 'virus_blocked' | 'outbound_spam_blocked' | 'other';

export interface VerdictRow {
  at: number;
  host: string;
  messageRow: number | null;
  qid: string | null;
  action: string;
  verdict: string;
  detail: string | null;
  originating: boolean;
  hits: number | null;
  sizeBytes: number | null;
  messageId: string | null;
  clientIp: string | null;
  sender: string | null;
  recipients: string;
  queuedAs: string | null;
  category: VerdictCategory;
}

export interface LoginRow {
  at: number;
  host: string;
  protocol: string;
  username: string | null;
  success: boolean;
  method: string | null;
  rip: string | null;
  lip: string | null;
  session: string | null;
  backend: string | null;
}

export interface AuthFailureRow {
  at: number;
  host: string;
  clientIp: string | null;
  clientHost: string | null;
  mechanism: string | null;
  username: string | null;
  reason: string;
}

export interface ServiceEventRow {
  at: number;
  host: string;
  daemon: string;
  event: 'start' | 'stop' | 'reload' | 'fatal' | 'killed' | 'refused' | 'unreachable';
  target: string | null;
  /** refused/unreachable: the port that did not answer (24 LMTP, 10024 filter, 143 IMAP ...) */
  port: number | null;
  /** the log line: an outage's evidence */
  line: string;
}

export interface MessageLineRow {
  messageRow: number;
  at: number;
  host: string;
  program: string;
  text: string;
}

/** Everything one batch of lines produced, in the order the store must apply it. */
export interface Output {
  connections: ConnectionRow[];
  /** connections written while still open (at a batch end), completed later */
  connectionUpdates: Array<{ id: number; outcome: string; authAttempted: boolean; counted: boolean }>;
  /** postscreen tallies: `${minuteAt}|${host}|${metric}` → n */
  tally: Map<string, number>;
  /** postscreen connections and outcomes per hour and client country */
  geo: GeoCounts;
  messageInserts: MessageRow[];
  /** applied after inserts, in order */
  messageUpdates: Array<{ id: number; set: MessageUpdate }>;
  deliveries: DeliveryRow[];
  rejects: RejectRow[];
  verdicts: VerdictRow[];
  logins: LoginRow[];
  authFailures: AuthFailureRow[];
  serviceEvents: ServiceEventRow[];
  /** minutes each host logged in (every line, recognised or not; the lane's through its tallies) */
  activity: HostActivity;
  messageLines: MessageLineRow[];
  unparsed: Map<string, { n: number; sample: string; lastAt: number }>;
  /** lines of programs postino does not read, by program (no sample: they are not ours to show) */
  other: Map<string, { n: number; lastAt: number }>;
  /** unix seconds of every row written, to mark rollup buckets dirty */
  touchedHours: Set<number>;
  recognised: number;
  unparsedLines: number;
  otherLines: number;
}

export function emptyOutput(): Output {
  return {
    connections: [],
    connectionUpdates: [],
    tally: new Map(),
    geo: emptyGeoCounts(),
    messageInserts: [],
    messageUpdates: [],
    deliveries: [],
    rejects: [],
    verdicts: [],
    logins: [],
    authFailures: [],
    serviceEvents: [],
    activity: new Map(),
    messageLines: [],
    unparsed: new Map(),
    other: new Map(),
    touchedHours: new Set(),
    recognised: 0,
    unparsedLines: 0,
    otherLines: 0,
  };
}
