// Postfix messages (postscreen, smtpd, cleanup, qmgr, delivery agents, master, anvil, dnsblog ...).
// Pure: the text after `postfix*/service[pid]: ` in, one event (or null = not recognised) out.
// Most shapes are unique to one service, so recognition is by content; the service only names
// the delivery agent and gates the few ambiguous shapes (anvil statistics).
import type { Envelope, MailEvent } from './events';
import { isQid, num, splitQid } from './patterns';
import { type Base, noise } from './postfix-common';
import { noqueueRejectFast, RE_PROXY_REJECT, RE_REJECT, reject, REJECT_ACTIONS, splitTrailer } from './postfix-reject';
import { parseCommands, RE_CONNECT, RE_DISCONNECT, RE_LOST, RE_SASL } from './postfix-smtpd';
import { postscreen, RE_PS_NOISE } from './postfix-postscreen';
import { withQid } from './postfix-queue';

// `connect to mbox1.unipi.it[10.1.0.11]:24: Connection refused`, `connect to mx.example.com[2001:db8::1]:25: Network is unreachable`
const RE_CONNECT_TO = /^connect to ([^\s\[\]]+)\[([^\]]*)\](?::(\d+))?: ([\s\S]*)$/;

// `connect to /var/run/dovecot/lmtp: No such file or directory` (unix socket destinations)
/** The refused or failed connect a deferral names: `(connect to mbox1.unipi.it[10.1.0.11]:24: Connection refused)`. */
export function connectFailureIn(reply: string): { destHost: string; destIp: string; destPort: number | null; refused: boolean } | null {
  const text = reply.startsWith('(') && reply.endsWith(')') ? reply.slice(1, -1) : reply;
  if (!text.startsWith('connect to ')) return null;
  const m = RE_CONNECT_TO.exec(text);
  return m ? { destHost: m[1]!, destIp: m[2]!, destPort: num(m[3]), refused: /refused/i.test(m[4]!) } : null;
}
const RE_CONNECT_TO_UNIX = /^connect to ((?:\/|private\/|public\/)\S+?): ([\s\S]*)$/;

// `statistics: max connection count 1 for (smtpd:61.238.241.86) at Oct 26 18:13:50`, `statistics: max cache size 1 at Oct 26 18:13:50`
const RE_ANVIL = /^statistics: (max [a-z ]+?) (\d+(?:\/\d+[smhd])?) (?:for \(([\s\S]*)\) )?at /;

// `addr 209.85.208.175 listed by domain list.dnswl.org as 127.0.5.0`
const RE_DNSBLOG = /^addr (\S+) listed by domain (\S+) as (\S+)/;

// `daemon started -- version 3.7.11, configuration /etc/postfix`
const RE_MASTER_START = /^daemon started -- version ([^,\s]+)/;

// `terminating on signal 15`
const RE_MASTER_STOP = /^terminating on signal \d+/;

// `reload -- version 3.7.11, configuration /etc/postfix`, `reload configuration /etc/postfix` (Postfix 2.x)
const RE_MASTER_RELOAD = /^reload (?:-- version ([^,\s]+)|configuration )/;

// Recognised, not counted. Without a queue id:
// `warning: hostname nsg93.example.com does not resolve to address 192.0.2.1`, `Anonymous TLS connection established from ...`,
// `improper command pipelining after HELO from unknown[..]: ...`, `Host or domain name not found. Name service error ...`,
// `setting up TLS connection from ...`, `SSL_accept error from ...`, `> mail.example.com[..]: 250 ...` (debug_peer), `dict_proxy_open: ...`
const RE_NOISE =
  /^(?:warning|fatal|panic|error|info|debug):|^(?:(?:Anonymous|Untrusted|Trusted|Verified) TLS connection established|setting up TLS connection|SSL_accept error|SSL_connect error|certificate verification failed|improper command pipelining|Host or domain name not found|statistics:|non-SMTP command from|bare <LF> received|discarding EHLO keywords|lost connection after|timeout after|connect to subsystem|table \S+ has changed|cache \S+ (?:full|partial) cleanup|(?:CONNECT|DISCONNECT) (?:from )?\[|NOQUEUE: client=|dict_|[<>] \S+: |starting the Postfix|stopping the Postfix|refreshing the Postfix|(?:Deleted|Requeued|Placed on hold|Released from hold): \d+ messages?)/;

// Verbose (`-v`, debug_peer_list) chatter: `name_mask: all`, `match_string: mynetworks ~? debug_peer_list`, `send attr request = open`,
// `input attribute name: flags`, `private/proxymap socket: wanted attribute: status`, `process generation: 231 (231)`, `connection established`
const RE_VERBOSE =
  /^(?:[a-z][a-z0-9_]*: |[a-z][\w/]* socket: |send attr |input attribute |initial envelope |extracted envelope |final envelope |cleanup flags |process generation: |host name lookup methods: |connection established|connection closed|(?:start|end|done) [a-z ]+|request: |request ignored|open (?:incoming|active|deferred)\/|Compiled against |Run-time linked against |mynetworks: |been_here: )/;

// programs whose every message is administrative chatter: `postfix[1086537]: Postfix is running with backwards-compatible default settings`,
// `postfix/postfix-script[2013]: waiting for the Postfix mail system to terminate`, `postfix/postsuper[27151]: Deleted: 2 messages`
const CHATTY_SERVICES = new Set(['postfix', 'postfix-script', 'postlog', 'postsuper', 'postmap', 'postalias', 'postconf', 'postdrop', 'sendmail', 'postqueue', 'postcat', 'tlsmgr', 'scache', 'verify', 'proxymap', 'trivial-rewrite', 'flush', 'tlsproxy']);

/** A Postfix message; `service` is the last path component of the program (`smtpd`, `smtp`, ...). */
export function parsePostfix(env: Envelope, service: string): MailEvent | null {
  const b: Base = env;
  const msg = env.message;
  const c0 = msg.charCodeAt(0);
  let m: RegExpExecArray | null;

  // postscreen verdicts: upper-case keyword first
  if (c0 >= 65 && c0 <= 90 && msg.charCodeAt(1) >= 65 && msg.charCodeAt(1) <= 90) {
    if (c0 === 78 /* N */ && msg.startsWith('NOQUEUE: ')) {
      // no postscreen verdict starts with `NOQUEUE: `; most are rejects
      const r = noqueueRejectFast(env, msg);
      if (r) return r;
    } else {
      const ps = postscreen(b, msg);
      if (ps) return ps;
    }
  } else if (c0 === 97 /* a */ && msg.startsWith('addr ')) {
    // postfix/dnsblog: nothing before the switch below can match a message starting `addr `
    // (irregexp scans `\S+` faster than a charCodeAt loop would)
    m = RE_DNSBLOG.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.dnsblog', clientIp: m[1]!, list: m[2]!, answer: m[3]! };
  } else if (c0 === 99 /* c */ && msg.startsWith('connect from ')) {
    // smtpd: neither RE_REJECT, RE_PROXY_REJECT nor a queue id can match `connect from ...`
    m = RE_CONNECT.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.connect', clientHost: m[1]!, clientIp: m[2]! };
  } else if (c0 === 100 /* d */ && msg.startsWith('disconnect from ')) {
    m = RE_DISCONNECT.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.disconnect', clientHost: m[1]!, clientIp: m[2]!, commands: parseCommands(m[3]) };
  }

  m = RE_REJECT.exec(msg);
  if (m && (m[1] === 'NOQUEUE' || isQid(m[1]!))) {
    const t = splitTrailer(m[6]!);
    return reject(b, REJECT_ACTIONS[m[2]!]!, m[1] === 'NOQUEUE' ? null : m[1]!, m[3]!, m[4] || null, m[5]!, t.reply, t.from, t.to, t.helo);
  }

  m = RE_PROXY_REJECT.exec(msg);
  if (m) {
    if (m[1] === 'accept') return noise(b);
    const t = splitTrailer(m[3]!);
    return reject(b, 'reject', null, m[2]!, null, null, t.reply, t.from, t.to, t.helo);
  }

  const q = splitQid(msg);
  if (q) {
    const r = withQid(b, q[0], q[1], service);
    if (r) return r;
  }

  switch (c0) {
    case 99 /* c */:
      m = RE_CONNECT.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.connect', clientHost: m[1]!, clientIp: m[2]! };
      m = RE_CONNECT_TO.exec(msg);
      if (m) {
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.connect-failed', destHost: m[1]!, destIp: m[2]!, destPort: num(m[3]), reason: m[4]!, refused: /refused/i.test(m[4]!) };
      }
      m = RE_CONNECT_TO_UNIX.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.connect-failed', destHost: m[1]!, destIp: null, destPort: null, reason: m[2]!, refused: /refused/i.test(m[2]!) };
      break;
    case 100 /* d */:
      m = RE_DISCONNECT.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.disconnect', clientHost: m[1]!, clientIp: m[2]!, commands: parseCommands(m[3]) };
      m = RE_MASTER_START.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'start', version: m[1]! };
      break;
    case 78 /* N */:
    case 108 /* l */:
    case 116 /* t */: {
      m = RE_LOST.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.lost', clientHost: m[3]!, clientIp: m[4]!, after: m[2]!, timeout: m[1] === 'timeout' };
      if (RE_MASTER_STOP.test(msg)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'stop', version: null };
      break;
    }
    case 119 /* w */:
      m = RE_SASL.exec(msg);
      if (m) {
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.sasl-failed', clientHost: m[1]!, clientIp: m[2]!, mechanism: m[3] ?? null, reason: m[4] ?? '', saslUsername: m[5] ?? null };
      }
      break;
    case 115 /* s */:
      if (service === 'anvil') {
        m = RE_ANVIL.exec(msg);
        if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.anvil', stat: m[1]!, value: m[2]!, client: m[3] ?? null };
      }
      break;
    case 97 /* a */:
      m = RE_DNSBLOG.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.dnsblog', clientIp: m[1]!, list: m[2]!, answer: m[3]! };
      break;
    case 114 /* r */:
      m = RE_MASTER_RELOAD.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'reload', version: m[1] ?? null };
      break;
    default:
      break;
  }
  if (service === 'postscreen' && RE_PS_NOISE.test(msg)) return noise(b);
  if (RE_NOISE.test(msg) || RE_VERBOSE.test(msg)) return noise(b);
  if (CHATTY_SERVICES.has(service) && !q) return noise(b);
  return null;
}
