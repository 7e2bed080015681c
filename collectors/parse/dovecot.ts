// Dovecot 1.x - 2.4 messages, syslog'd (`dovecot: imap-login: Info: Login: ...`, `imap-login: Login: ...`)
// or from Dovecot's own log file (the envelope then gives program `dovecot`).
import type { Envelope, MailEvent } from './events';
import { kv, num, unangle } from './patterns';

type Base = { at: number; host: string; program: string; pid: number | null };

// The component before the first `: `: `imap-login`, `imap(user@example.com)<1934><0+OdFF/FlOYKKgK6>`,
// `lmtp(9529, mail@domain.xy)`, `auth-worker(24058)`, `IMAP(username)` (1.x), `auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95Uf4e7eEnj>`
const RE_COMPONENT = /^([A-Za-z][A-Za-z0-9-]*)(?:\(([^)]*)\))?(?:<(\d+)>)?(?:<([^>]*)>)?$/;
// the level prefix: `Info: `, `Warning: `, `Error: `, `Fatal: `, `Panic: `, `Debug: `, `Warn: ` (1.x)
const RE_LEVEL = /^(Info|Warning|Warn|Error|Fatal|Panic|Debug): /;
// login process: `Login: user=<user@example.com>, method=PLAIN, rip=10.42.2.186, lip=10.42.6.126, mpid=1934, session=<0+OdFF/FlOYKKgK6>`
const RE_LOGIN = /^Login: /;
// proxy: `proxy(username): started proxying to 2.2.2.2:143: user=<username>, method=PLAIN, rip=2.2.2.2, lip=5.5.5.5, secured, session=<GKEBFAwQMgDBAgFf>`
//        2.4: `proxy(username): Started proxying to <10.1.0.11> (<mbox1.unipi.it>) ...` (source: dovecot login-common/client-common-auth.c)
const RE_PROXY_STARTED = /^proxy\(([^)]*)\): [Ss]tarted proxying to <?(\[[^\]]*\]|[^\s>:]+)>?(?::(\d+))?/;
// `proxy(user): Login failed to 10.1.0.11:143: Authentication failed` (2.2/2.3); 2.4: `proxy(user): Login failed: ...`
const RE_PROXY_LOGIN_FAILED = /^proxy\(([^)]*)\): Login failed(?: to ([^\s:]+(?::\d+)?))?[^:]*: ([\s\S]*)$/;
// `proxy(user): connect(10.1.0.11, 143) failed: Connection refused (after 0 secs, local=10.1.0.2:41234)`
// `proxy(user): Login for 10.1.0.11:143 timed out in state=0 (after 30 secs)`
const RE_PROXY_CONNECT_FAILED = /^proxy\(([^)]*)\): (?:connect\(([^,]+), (\d+)\) failed: ([\s\S]*)|Login for (\S+) timed out([\s\S]*))$/;
// `proxy(username): disconnecting 2.2.2.2 (Disconnected by server): user=<username>, ...` (end of a proxied session)
const RE_PROXY_OTHER = /^proxy\(([^)]*)\): /;
// The key/value tail of login-process lines: `: user=<..>, method=.., rip=.., lip=.., ...` or `: rip=..` or `: method=..`
const RE_KV_TAIL = /: (?:user=<|method=|rip=)/;
// the reason in parentheses at the end of the head, with the 2.4 code:
// `Disconnected (auth failed, 1 attempts in 6 secs)`, `Login aborted: Connection closed (auth failed, 3 attempts in 16 secs) (auth_failed)`,
// `Disconnected: Connection closed: read(size=1003) failed: Connection reset by peer (auth failed, 1 attempts in 0 secs)`
const RE_HEAD_REASON = /\(([^()]*)\)(?: \(([a-z_]+)\))?$/;
// `(auth failed, 7 attempts in 111 secs)`
const RE_ATTEMPTS = /(\d+) attempts?/;
// mail processes: `Logged out in=127 out=1043 ...`, `Disconnected: Logged out top=0/0, retr=0/0, del=0/0, size=0`,
// `Connection closed (LIST finished 0.082 secs ago) in=50 out=1270 ...`, `Disconnected for inactivity in=687 out=10791`,
// `Disconnected: Logged out bytes=59/566` (1.x), `Server shutting down. in=.. out=..`
const RE_LOGOUT = /^(?:Disconnected|Logged out|Connection closed|Server shutting down|Disconnected for inactivity)/;
// 1.x `bytes=59/566`, pop3 `retr=2/82331`
const RE_BYTES = /bytes=(\d+)\/(\d+)/;
const RE_RETR = /retr=\d+\/(\d+)/;
// lmtp / lda: `msgid=<E1YKcnl-0001q3-UM@example.com>: saved mail to INBOX`,
// `sieve: msgid=<spam@example.test>: fileinto action: stored mail into mailbox 'Junk'`,
// `JDAjK8tou1Y5JQAA1dT27g: sieve: msgid=emailsecuritycheck.net.1.LEnC4bgFimQHGHz3PvKpOQ==: stored mail into mailbox 'INBOX'`
const RE_SAVED = /^(?:([A-Za-z0-9+/]{16,32}): )?(?:sieve: )?msgid=(<[^>]*>|\S*?): (?:[\s\S]*?)(?:saved mail to (\S+)|stored mail into mailbox '([^']*)')/;
// `sieve: msgid=<20200511113535.889CA28724D@mail.my-domain.com>: failed to store into mailbox 'INBOX': Quota exceeded (mailbox for user is full)`
const RE_QUOTA = /Quota exceeded|quota exceeded|Not enough disk quota/;
const RE_MSGID = /msgid=(<[^>]*>|[^:\s]+)/;
// master: `Dovecot v2.2.34 (874deae) starting up for imap, lmtp`, `Dovecot v1.2.rc3 starting up (core dumps disabled)`
const RE_STARTING = /^Dovecot v?\S+ (?:\([0-9a-f]+\) )?starting up/;
// `Killed with signal 15 (by pid=1 uid=0 code=kill)`
const RE_KILLED = /^Killed with signal \d+/;

const base = (e: Envelope): Base => ({ at: e.at, host: e.host, program: e.program, pid: e.pid });
const noise = (b: Base): MailEvent => ({ at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'noise', family: 'dovecot' });

function loginProcess(b: Base, protocol: string, text: string): MailEvent | null {
  if (RE_LOGIN.test(text)) {
    const user = kv(text, 'user');
    if (user === null) return null;
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.login', protocol, user, method: kv(text, 'method'), rip: kv(text, 'rip'), lip: kv(text, 'lip'), session: kv(text, 'session') };
  }
  if (text.startsWith('proxy(')) {
    let m = RE_PROXY_STARTED.exec(text);
    if (m) {
      const tail = text.slice(m[0].length);
      return {
        at: b.at, host: b.host, program: b.program, pid: b.pid,
        kind: 'dovecot.proxy-started',
        protocol,
        user: kv(tail, 'user') ?? m[1]!,
        rip: kv(tail, 'rip'),
        lip: kv(tail, 'lip'),
        backend: m[3] ? `${m[2]}:${m[3]}` : m[2]!,
        session: kv(tail, 'session'),
      };
    }
    m = RE_PROXY_CONNECT_FAILED.exec(text);
    if (m) {
      const backend = m[2] ? `${m[2]}:${m[3]}` : m[5]!;
      const reason = m[4] ?? `timed out${m[6] ?? ''}`;
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.proxy-failed', protocol, user: m[1]!, backend, reason, unreachable: true, session: kv(text, 'session') };
    }
    m = RE_PROXY_LOGIN_FAILED.exec(text);
    if (m) {
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.proxy-failed', protocol, user: m[1]!, backend: m[2] ?? null, reason: m[3]!, unreachable: false, session: kv(text, 'session') };
    }
    if (RE_PROXY_OTHER.test(text)) return noise(b);
    return null;
  }
  const k = RE_KV_TAIL.exec(text);
  if (k) {
    const head = text.slice(0, k.index);
    const tail = text.slice(k.index + 2);
    const r = RE_HEAD_REASON.exec(head);
    const reason = r ? r[1]! : head;
    const user = kv(tail, 'user');
    // `Disconnected (proxy dest auth failed)`: the backend refused the login the proxy passed on
    if (/proxy dest auth failed/.test(reason)) {
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.proxy-failed', protocol, user, backend: null, reason, unreachable: false, session: kv(tail, 'session') };
    }
    if (/auth failed/.test(reason) || r?.[2] === 'auth_failed') {
      const at = RE_ATTEMPTS.exec(reason);
      return {
        at: b.at, host: b.host, program: b.program, pid: b.pid,
        kind: 'dovecot.auth-failed',
        protocol,
        user: user === '' ? null : user,
        method: kv(tail, 'method'),
        rip: kv(tail, 'rip'),
        lip: kv(tail, 'lip'),
        attempts: at ? Number(at[1]) : null,
        session: kv(tail, 'session'),
      };
    }
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.aborted', protocol, user: user === '' ? null : user, rip: kv(tail, 'rip'), reason, session: kv(tail, 'session') };
  }
  if (/auth failed|^Login/.test(text)) return null;
  return noise(b);
}

function userOf(args: string | undefined): string | null {
  if (!args) return null;
  // `lmtp(9529, mail@domain.xy)` (2.2: pid, user), `lmtp(32347)` (pid only)
  const comma = args.indexOf(', ');
  const u = comma >= 0 ? args.slice(comma + 2) : args;
  return /^\d*$/.test(u) ? null : u;
}

export function parseDovecot(env: Envelope): MailEvent | null {
  const b = base(env);
  let text = env.message;
  let name: string;
  let args: string | undefined;
  let session: string | null = null;
  // strip nested `dovecot: ` (e.g. `dovecot[442]: dovecot: auth(default): ...`)
  while (text.startsWith('dovecot: ')) text = text.slice(9);
  const prog = env.program.slice(env.program.lastIndexOf('/') + 1);
  if (prog === 'dovecot') {
    let lv = RE_LEVEL.exec(text);
    if (lv) text = text.slice(lv[0].length); // 1.x own log: `Info: IMAP(username): ...`, master `Fatal: ...`
    const c = text.indexOf(': ');
    const comp = c > 0 ? RE_COMPONENT.exec(text.slice(0, c)) : null;
    if (!comp) {
      if (RE_STARTING.test(text)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'start' };
      if (lv && lv[1] === 'Fatal') return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'fatal' };
      return noise(b);
    }
    name = comp[1]!;
    args = comp[2];
    session = comp[4] ?? null;
    text = text.slice(c + 2);
    lv = RE_LEVEL.exec(text);
    if (lv) text = text.slice(lv[0].length);
    if (name === 'master' || name === 'dovecot') {
      if (RE_STARTING.test(text)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'start' };
      if (RE_KILLED.test(text)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'killed' };
      if (lv && lv[1] === 'Fatal') return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'fatal' };
      if (/shutting down/.test(text) && name === 'master') return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.master', action: 'stop' };
      return noise(b);
    }
  } else {
    name = prog;
    const lv = RE_LEVEL.exec(text);
    if (lv) text = text.slice(lv[0].length);
  }
  const lname = name.toLowerCase();
  if (lname.endsWith('-login')) return loginProcess(b, lname.slice(0, -6), text);
  if (lname === 'imap' || lname === 'pop3' || lname === 'managesieve' || lname === 'submission') {
    const user = userOf(args);
    if (user !== null && RE_LOGOUT.test(text)) {
      const bytes = RE_BYTES.exec(text);
      const retr = RE_RETR.exec(text);
      return {
        at: b.at, host: b.host, program: b.program, pid: b.pid,
        kind: 'dovecot.logout',
        protocol: lname,
        user,
        rip: null,
        inBytes: num(kv(text, 'in')) ?? (bytes ? Number(bytes[1]) : null),
        outBytes: num(kv(text, 'out')) ?? (bytes ? Number(bytes[2]) : retr ? Number(retr[1]) : null),
        session,
      };
    }
    return noise(b);
  }
  if (lname === 'lmtp' || lname === 'lda' || lname === 'deliver') {
    const user = userOf(args);
    if (user !== null) {
      const m = RE_SAVED.exec(text);
      if (m) {
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.lmtp-saved', user, messageId: unangle(m[2]!), mailbox: m[3] ?? m[4] ?? null, session: session ?? m[1] ?? null };
      }
      if (RE_QUOTA.test(text)) {
        const id = RE_MSGID.exec(text);
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'dovecot.lmtp-quota', user, messageId: id ? unangle(id[1]!) : null, session };
      }
    }
    return noise(b);
  }
  // auth, auth-worker, dovecot-auth, indexer-worker, config, stats, log, anvil ...
  return noise(b);
}
