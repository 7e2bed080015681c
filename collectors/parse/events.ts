// The typed events that parsers produce from single log lines. Parsers are pure
// (line in, event out); correlation and counting happen downstream.
//
// Times are unix seconds UTC (fractions allowed). Hosts are the syslog host field.

/** The syslog envelope around every line, whatever its wire format. */
export interface Envelope {
  /** unix seconds UTC, fraction allowed */
  at: number;
  host: string;
  /** syslog tag without pid, e.g. `postfix/smtpd`, `postfix-out/smtpd`, `amavis`, `dovecot` */
  program: string;
  pid: number | null;
  /** text after `prog[pid]: ` */
  message: string;
}

interface Base {
  at: number;
  host: string;
  /** syslog program (e.g. `postfix/smtpd`) — sessions are keyed by host+program+pid */
  program: string;
  pid: number | null;
}

export type PostscreenViolation =
  | 'dnsbl'
  | 'pregreet'
  | 'hangup'
  | 'command-pipelining'
  | 'command-count-limit'
  | 'command-time-limit'
  | 'command-length-limit'
  | 'non-smtp-command'
  | 'bare-newline'
  | 'denylisted';

export type RejectAction = 'reject' | 'milter-reject' | 'warn' | 'hold' | 'discard' | 'redirect' | 'filter';

/** Coarse classification of a reject reply, for the "why was this rejected" charts. */
export type RejectReasonClass =
  | 'greylist'
  | 'dnsbl'
  | 'unknown-recipient'
  | 'relay-denied'
  | 'sender'
  | 'helo'
  | 'client-hostname'
  | 'spf'
  | 'policy'
  | 'content'
  | 'protocol'
  | 'tls'
  | 'size'
  | 'temporary'
  | 'milter'
  | 'other';

export type DeliveryStatus = 'sent' | 'deferred' | 'bounced' | 'expired' | 'undeliverable' | 'deliverable';

export type MailEvent =
  // ---- postscreen -----------------------------------------------------------
  | (Base & { kind: 'postscreen.connect'; clientIp: string; clientPort: number })
  | (Base & {
      kind: 'postscreen.pass';
      how: 'old' | 'new' | 'whitelisted' | 'allowlisted';
      clientIp: string;
      clientPort: number;
    })
  | (Base & {
      kind: 'postscreen.violation';
      test: PostscreenViolation;
      clientIp: string;
      clientPort: number;
      /** DNSBL rank (score) for `dnsbl` */
      rank: number | null;
      detail: string | null;
    })
  | (Base & { kind: 'postscreen.disconnect'; clientIp: string; clientPort: number })
  // ---- rejects (postscreen, smtpd, cleanup) -------------------------------
  | (Base & {
      kind: 'postfix.reject';
      action: RejectAction;
      /** `null` for NOQUEUE */
      qid: string | null;
      /** SMTP stage: RCPT, DATA, CONNECT, END-OF-MESSAGE, header, body ... */
      stage: string | null;
      clientHost: string | null;
      clientIp: string | null;
      /** SMTP reply code, e.g. 550 */
      code: number | null;
      /** enhanced status code, e.g. `5.7.1` */
      enhanced: string | null;
      /** the reply text after codes */
      reply: string;
      reasonClass: RejectReasonClass;
      from: string | null;
      to: string | null;
      helo: string | null;
      /** true when the reply says greylist */
      greylist: boolean;
    })
  // ---- smtpd ----------------------------------------------------------------
  | (Base & { kind: 'smtpd.connect'; clientHost: string; clientIp: string })
  | (Base & {
      kind: 'smtpd.disconnect';
      clientHost: string;
      clientIp: string;
      /** commands=... summary, e.g. `ehlo=1 mail=1 rcpt=1 data=1 quit=1` (Postfix >= 3.0) */
      commands: Record<string, { ok: number; total: number }> | null;
    })
  | (Base & {
      kind: 'smtpd.client';
      qid: string;
      clientHost: string;
      clientIp: string;
      saslMethod: string | null;
      saslUsername: string | null;
    })
  | (Base & {
      kind: 'smtpd.sasl-failed';
      clientHost: string;
      clientIp: string;
      mechanism: string | null;
      reason: string;
      saslUsername: string | null;
    })
  | (Base & { kind: 'smtpd.lost'; clientHost: string; clientIp: string; after: string | null; timeout: boolean })
  // ---- queue life -----------------------------------------------------------
  | (Base & { kind: 'cleanup.message-id'; qid: string; messageId: string; resent: boolean })
  | (Base & { kind: 'pickup.from'; qid: string; uid: number | null; from: string })
  | (Base & { kind: 'qmgr.from'; qid: string; from: string; size: number; nrcpt: number })
  | (Base & { kind: 'qmgr.removed'; qid: string })
  | (Base & { kind: 'qmgr.expired'; qid: string; from: string; status: string })
  | (Base & {
      kind: 'postfix.delivery';
      /** delivery agent: smtp, lmtp, local, virtual, pipe, error, discard, retry */
      agent: string;
      qid: string;
      to: string;
      origTo: string | null;
      relay: string;
      relayHost: string | null;
      relayIp: string | null;
      relayPort: number | null;
      delay: number | null;
      delays: string | null;
      dsn: string | null;
      status: DeliveryStatus;
      reply: string;
      /** `queued as XXXX` in the reply: the queue id the next hop assigned */
      queuedAs: string | null;
    })
  | (Base & {
      kind: 'postfix.connect-failed';
      /** e.g. `connect to mbox1.unipi.it[10.0.0.1]:24: Connection refused` */
      destHost: string;
      destIp: string | null;
      destPort: number | null;
      reason: string;
      refused: boolean;
    })
  | (Base & { kind: 'bounce.notification'; qid: string; ndnQid: string; type: 'non-delivery' | 'delay' | 'success' | 'other' })
  | (Base & { kind: 'postfix.master'; action: 'start' | 'stop' | 'reload'; version: string | null })
  | (Base & { kind: 'postfix.dnsblog'; clientIp: string; list: string; answer: string })
  | (Base & { kind: 'postfix.anvil'; stat: string; value: string; client: string | null })
  // ---- amavis -------------------------------------------------------------
  | (Base & {
      kind: 'amavis.verdict';
      action: 'Passed' | 'Blocked' | 'Not-Delivered';
      /** CLEAN, SPAMMY, SPAM, INFECTED, BANNED, BAD-HEADER, UNCHECKED, OVERSIZED, MTA-BLOCKED ... */
      verdict: string;
      /** virus or banned part name in parentheses, if any */
      detail: string | null;
      originating: boolean;
      clientIp: string | null;
      from: string | null;
      to: string[];
      qid: string | null;
      queuedAs: string[];
      hits: number | null;
      size: number | null;
      messageId: string | null;
      mailId: string | null;
      elapsedMs: number | null;
    })
  | (Base & { kind: 'amavis.lifecycle'; action: 'start' | 'stop' })
  // ---- milter-greylist ------------------------------------------------------
  | (Base & {
      kind: 'greylist.delayed';
      qid: string | null;
      clientIp: string;
      from: string;
      to: string;
      delaySeconds: number;
    })
  | (Base & { kind: 'greylist.autowhitelisted'; qid: string | null; clientIp: string; from: string; to: string })
  // ---- dovecot --------------------------------------------------------------
  | (Base & {
      kind: 'dovecot.login';
      protocol: string;
      user: string;
      method: string | null;
      rip: string | null;
      lip: string | null;
      session: string | null;
    })
  | (Base & {
      kind: 'dovecot.proxy-started';
      protocol: string;
      user: string;
      rip: string | null;
      lip: string | null;
      backend: string;
      session: string | null;
    })
  | (Base & {
      kind: 'dovecot.proxy-failed';
      protocol: string;
      user: string | null;
      backend: string | null;
      reason: string;
      /** connect() to the backend failed (backend unreachable), as opposed to a login refused by it */
      unreachable: boolean;
      session: string | null;
    })
  | (Base & {
      kind: 'dovecot.auth-failed';
      protocol: string;
      user: string | null;
      method: string | null;
      rip: string | null;
      lip: string | null;
      attempts: number | null;
      session: string | null;
    })
  | (Base & {
      kind: 'dovecot.aborted';
      protocol: string;
      user: string | null;
      rip: string | null;
      reason: string;
      session: string | null;
    })
  | (Base & {
      kind: 'dovecot.logout';
      protocol: string;
      user: string;
      rip: string | null;
      inBytes: number | null;
      outBytes: number | null;
      session: string | null;
    })
  | (Base & { kind: 'dovecot.lmtp-saved'; user: string; messageId: string | null; mailbox: string | null; session: string | null })
  | (Base & { kind: 'dovecot.lmtp-quota'; user: string; messageId: string | null; session: string | null })
  | (Base & { kind: 'dovecot.master'; action: 'start' | 'stop' | 'fatal' | 'killed' })
  // ---- recognised but not counted (TLS chatter, warnings, statistics ...) ----
  | (Base & { kind: 'noise'; family: 'postfix' | 'amavis' | 'dovecot' | 'greylist' | 'other' })
  // ---- a line of a program postino does not read (cron, sshd, kernel ...) ----
  | (Base & { kind: 'other' })
  // ---- a line of a mail daemon postino reads, or with no envelope, that no parser recognised ----
  | (Base & { kind: 'unparsed'; reason: 'envelope' | 'message' });

export type EventKind = MailEvent['kind'];
export type EventOf<K extends EventKind> = Extract<MailEvent, { kind: K }>;
