// postscreen's verdicts, once: the keyword each starts with, what follows it, what it means, and
// a sample line. Both readers are driven by this table: the regular expressions of the parser
// (postfix-postscreen.ts) and the byte reader of the bulk ingest's postscreen lane
// (postscreen-bytes.ts). test/parse/postscreen-grammar.test.ts runs both over every sample and
// over the corpus and asks for the same answer.
//
// Formats: postscreen(8) (src/postscreen/*.c of Postfix 3.x: `CONNECT from [%s]:%s to [%s]:%s`,
// `PASS %s [%s]:%s`, `%s [%s]:%s` for the allow/deny lists, `DNSBL rank %d for [%s]:%s`,
// `PREGREET %d after %s from [%s]:%s: %.*s`, `HANGUP after %s from [%s]:%s in %s`,
// `%s from [%s]:%s after %s` for the deep protocol tests, `DISCONNECT [%s]:%s`).
import type { PostscreenViolation } from './events';

/** What a verdict line is, for the lane's tracker (Unsure: a reader leaves the line to another). */
export const enum PsVerdict {
  Unsure,
  Connect,
  Pass,
  Violation,
  Disconnect,
}

/**
 * What follows the keyword: `connect` `[ip]:port to ...`; `client` `[ip]:port`; `rank`
 * `N for [ip]:port`; `violation` `( N)?( after S)? from [ip]:port(:? detail)?` to the end.
 */
export type PsShape = 'connect' | 'client' | 'rank' | 'violation';

export interface PsRule {
  /** the text the message starts with (4 bytes or more, ASCII) */
  keyword: string;
  shape: PsShape;
  verdict: PsVerdict.Connect | PsVerdict.Pass | PsVerdict.Violation | PsVerdict.Disconnect;
  /** Pass: how the client passed */
  how?: 'old' | 'new' | 'whitelisted' | 'allowlisted';
  /** Violation: which test */
  test?: PostscreenViolation;
  /** read by the lane from bytes (a million lines a day); false: the parser reads it */
  lane: boolean;
  /** a line's message: from the corpus where it has one, else in postscreen(8)'s format */
  sample: string;
}

export const POSTSCREEN_VERDICTS: readonly PsRule[] = [
  { keyword: 'CONNECT from ', shape: 'connect', verdict: PsVerdict.Connect, lane: true, sample: 'CONNECT from [103.114.106.144]:55421 to [172.22.1.6]:25' },
  { keyword: 'PASS OLD ', shape: 'client', verdict: PsVerdict.Pass, how: 'old', lane: true, sample: 'PASS OLD [80.237.138.231]:47758' },
  { keyword: 'PASS NEW ', shape: 'client', verdict: PsVerdict.Pass, how: 'new', lane: true, sample: 'PASS NEW [87.250.230.154]:57864' },
  { keyword: 'WHITELISTED ', shape: 'client', verdict: PsVerdict.Pass, how: 'whitelisted', lane: true, sample: 'WHITELISTED [127.0.0.1]:45916' },
  // the allow list's name since Postfix 3.6: rare, left to the parser
  { keyword: 'ALLOWLISTED ', shape: 'client', verdict: PsVerdict.Pass, how: 'allowlisted', lane: false, sample: 'ALLOWLISTED [192.0.2.10]:51234' },
  { keyword: 'DNSBL rank ', shape: 'rank', verdict: PsVerdict.Violation, test: 'dnsbl', lane: true, sample: 'DNSBL rank 9 for [103.114.106.144]:55309' },
  { keyword: 'PREGREET', shape: 'violation', verdict: PsVerdict.Violation, test: 'pregreet', lane: true, sample: 'PREGREET 14 after 0.27 from [103.114.106.144]:55309: EHLO ylmf-pc\\r\\n' },
  { keyword: 'HANGUP', shape: 'violation', verdict: PsVerdict.Violation, test: 'hangup', lane: true, sample: 'HANGUP after 0.55 from [103.114.106.144]:55309 in tests after SMTP handshake' },
  { keyword: 'COMMAND PIPELINING', shape: 'violation', verdict: PsVerdict.Violation, test: 'command-pipelining', lane: true, sample: 'COMMAND PIPELINING from [192.0.2.10]:51234 after RCPT: QUIT\\r\\n' },
  { keyword: 'COMMAND COUNT LIMIT', shape: 'violation', verdict: PsVerdict.Violation, test: 'command-count-limit', lane: true, sample: 'COMMAND COUNT LIMIT from [192.0.2.26]:15592 after RCPT' },
  { keyword: 'COMMAND TIME LIMIT', shape: 'violation', verdict: PsVerdict.Violation, test: 'command-time-limit', lane: true, sample: 'COMMAND TIME LIMIT from [192.0.2.77]:3608 after CONNECT' },
  { keyword: 'COMMAND LENGTH LIMIT', shape: 'violation', verdict: PsVerdict.Violation, test: 'command-length-limit', lane: true, sample: 'COMMAND LENGTH LIMIT from [192.0.2.10]:51234 after DATA' },
  { keyword: 'NON-SMTP COMMAND', shape: 'violation', verdict: PsVerdict.Violation, test: 'non-smtp-command', lane: true, sample: 'NON-SMTP COMMAND from [192.0.2.10]:51234 after CONNECT: GET / HTTP/1.1' },
  { keyword: 'BARE NEWLINE', shape: 'violation', verdict: PsVerdict.Violation, test: 'bare-newline', lane: true, sample: 'BARE NEWLINE from [192.0.2.10]:51234 after DATA' },
  // the deny list before and after Postfix 3.6: rare, left to the parser
  { keyword: 'BLACKLISTED ', shape: 'client', verdict: PsVerdict.Violation, test: 'denylisted', lane: false, sample: 'BLACKLISTED [192.0.2.10]:51234' },
  { keyword: 'DENYLISTED ', shape: 'client', verdict: PsVerdict.Violation, test: 'denylisted', lane: false, sample: 'DENYLISTED [192.0.2.10]:51234' },
  { keyword: 'DISCONNECT ', shape: 'client', verdict: PsVerdict.Disconnect, lane: true, sample: 'DISCONNECT [103.114.106.144]:55309' },
];

/** The rule whose keyword starts `text`, undefined when none. */
export function ruleOf(text: string): PsRule | undefined {
  return POSTSCREEN_VERDICTS.find((r) => text.startsWith(r.keyword));
}
