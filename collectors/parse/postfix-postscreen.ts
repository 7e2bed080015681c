// postscreen's verdicts (CONNECT, PASS, DNSBL rank, PREGREET, HANGUP, ..., DISCONNECT) as
// events: one regular expression per shape of postscreen-grammar.ts, its keywords taken from
// the table. (The common verdicts rarely come this way: the postscreen lane reads them from
// bytes before any parsing, by the same table.)
import type { MailEvent } from './events';
import type { Base } from './postfix-common';
import { POSTSCREEN_VERDICTS, PsVerdict, type PsRule, type PsShape } from './postscreen-grammar';

function keywordsOf(shape: PsShape): string {
  return POSTSCREEN_VERDICTS.filter((r) => r.shape === shape)
    .map((r) => r.keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

const RULES = new Map<string, PsRule>(POSTSCREEN_VERDICTS.map((r) => [r.keyword, r]));

// `CONNECT from [192.0.2.10]:51234 to [192.0.2.1]:25`
const RE_PS_CONNECT = new RegExp(`^(${keywordsOf('connect')})\\[([^\\]]+)\\]:(\\d+) to `);
// `PASS OLD [209.85.208.175]:35636`, `WHITELISTED [..]:..`, `DENYLISTED [..]:..`, `DISCONNECT [..]:..`
const RE_PS_CLIENT = new RegExp(`^(${keywordsOf('client')})\\[([^\\]]+)\\]:(\\d+)`);
// `DNSBL rank 3 for [192.0.2.10]:51234`
const RE_PS_RANK = new RegExp(`^(${keywordsOf('rank')})(\\d+) for \\[([^\\]]+)\\]:(\\d+)`);
// `PREGREET 11 after 0.1 from [192.0.2.10]:51234: EHLO example.com\r\n`, `BARE NEWLINE from [..]:.. after DATA`
const RE_PS_VIOLATION = new RegExp(`^(${keywordsOf('violation')})(?: \\d+)?(?: after [\\d.]+)? from \\[([^\\]]+)\\]:(\\d+)(?::? ([\\s\\S]*))?$`);

// `WHITELIST VETO [..]:..`, `cache btree:/var/lib/postfix/psc_cache full cleanup: retained=0 dropped=0 entries`
export const RE_PS_NOISE = /^(?:WHITELIST VETO|ALLOWLIST VETO|cache \S+ full cleanup|NOQUEUE: |reject: |[A-Z][A-Z -]+ \[)/;

function event(b: Base, rule: PsRule, ip: string, port: string, rank: number | null, detail: string | null): MailEvent {
  const clientPort = Number(port);
  switch (rule.verdict) {
    case PsVerdict.Connect:
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.connect', clientIp: ip, clientPort };
    case PsVerdict.Disconnect:
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.disconnect', clientIp: ip, clientPort };
    case PsVerdict.Pass:
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.pass', how: rule.how!, clientIp: ip, clientPort };
    case PsVerdict.Violation:
      return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.violation', test: rule.test!, clientIp: ip, clientPort, rank, detail };
  }
}

/** A postscreen verdict as its event, null when the message is none. */
export function postscreen(b: Base, msg: string): MailEvent | null {
  let m = RE_PS_CONNECT.exec(msg) ?? RE_PS_CLIENT.exec(msg);
  if (m) return event(b, RULES.get(m[1]!)!, m[2]!, m[3]!, null, null);
  m = RE_PS_RANK.exec(msg);
  if (m) return event(b, RULES.get(m[1]!)!, m[3]!, m[4]!, Number(m[2]), null);
  m = RE_PS_VIOLATION.exec(msg);
  if (m) return event(b, RULES.get(m[1]!)!, m[2]!, m[3]!, null, m[4] ?? null);
  return null;
}
