// smtpd sessions: connect, client=, disconnect with its `commands=` summary, SASL failures, lost
// connections.

// `connect from localhost[127.0.0.1]`
export const RE_CONNECT = /^connect from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?$/;

// `disconnect from unknown[1.1.1.1] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`
export const RE_DISCONNECT = /^disconnect from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?(?: ([\s\S]*))?$/;

// `client=COMPUTER.sub.corp.com[1.1.1.1]`, `client=host[ip], sasl_method=PLAIN, sasl_username=u`, `client=localhost[127.0.0.1], orig_queue_id=..., orig_client=...`
export const RE_CLIENT = /^client=([^\s\[\]]*)\[([^\]]*)\](?::\d+)?(?:, ([\s\S]*))?$/;

// `warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure`
// `warning: mail.foldsandwalker.com[98.191.84.74]: SASL Plain authentication failed:`
// `warning: host[ip]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=user@example.com`
export const RE_SASL = /^warning: ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?: SASL (\S+) authentication failed:?(?: ([\s\S]*?))?(?:, sasl_username=(\S*))?$/;

// `lost connection after DATA (0 bytes) from unknown[192.0.2.1]`, `timeout after END-OF-MESSAGE from host[ip]`, `too many errors after RCPT from host[ip]`
export const RE_LOST = /^(?:NOQUEUE: )?(lost connection|timeout|too many errors) after ([A-Za-z-]+)(?: \([^)]*\))? from ([^\s\[\]]*)\[([^\]]*)\]/;

/** The usual `commands=` summary keys, as constants (no slice and no key internalisation per line). */
const COMMAND_KEYS = ['ehlo', 'helo', 'mail', 'rcpt', 'data', 'bdat', 'quit', 'rset', 'noop', 'vrfy', 'etrn', 'auth', 'starttls', 'unknown', 'commands'];

/** `ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4` → {ehlo: {ok: 1, total: 1}, ...}; tokens are split on single spaces. */
export function parseCommands(text: string | undefined): Record<string, { ok: number; total: number }> | null {
  if (!text) return null;
  const out: Record<string, { ok: number; total: number }> = {};
  let any = false;
  const n = text.length;
  let start = 0;
  while (start <= n) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = n;
    const eq = text.indexOf('=', start);
    if (eq > start && eq < end) {
      const ok = commandCount(text, eq + 1, end);
      if (ok >= 0 || fastCountFailed) {
        let okN: number;
        let total: number;
        if (!fastCountFailed) {
          okN = ok;
          total = fastTotal;
        } else {
          // anything but plain digits: the general reading, as before
          const v = text.slice(eq + 1, end);
          const slash = v.indexOf('/');
          okN = Number(slash < 0 ? v : v.slice(0, slash));
          total = slash < 0 ? okN : Number(v.slice(slash + 1));
        }
        if (Number.isInteger(okN) && Number.isInteger(total)) {
          out[commandKey(text, start, eq)] = { ok: okN, total };
          any = true;
        }
      }
    }
    start = end + 1;
  }
  return any ? out : null;
}

let fastTotal = 0;

let fastCountFailed = false;

/** `N` or `N/M` (1-9 digits each) in text[i, end): returns N and sets fastTotal; else sets fastCountFailed. */
function commandCount(text: string, i: number, end: number): number {
  fastCountFailed = false;
  let a = 0;
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    a = a * 10 + c;
    j++;
  }
  if (j === i || j - i > 9) {
    fastCountFailed = true;
    return -1;
  }
  if (j === end) {
    fastTotal = a;
    return a;
  }
  if (text.charCodeAt(j) !== 47 /* / */) {
    fastCountFailed = true;
    return -1;
  }
  const b0 = j + 1;
  let b = 0;
  j = b0;
  while (j < end) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    b = b * 10 + c;
    j++;
  }
  if (j !== end || j === b0 || j - b0 > 9) {
    fastCountFailed = true;
    return -1;
  }
  fastTotal = b;
  return a;
}

/** text[start, eq) as a constant when it is one of COMMAND_KEYS. */
function commandKey(text: string, start: number, eq: number): string {
  const len = eq - start;
  for (let i = 0; i < COMMAND_KEYS.length; i++) {
    const k = COMMAND_KEYS[i]!;
    if (k.length === len && text.startsWith(k, start)) return k;
  }
  return text.slice(start, eq);
}
