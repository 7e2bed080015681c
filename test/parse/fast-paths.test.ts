// Edge cases of the hand-written fast paths (dnsblog, NOQUEUE rejects, reply and
// trailer splitting, commands=, kv, pid, month names). Expected values are the outputs of the earlier
// regular-expression parser on the same lines: the fast paths must not change any of them.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../collectors/parse/parse-line';

const CASES: Array<[string, unknown]> = [
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: CONNECT from [2001:db8::1]:51234 to [5.6.7.8]:25",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"postscreen.connect","clientIp":"2001:db8::1","clientPort":51234},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: CONNECT from []:12 to [5.6.7.8]:25",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"noise","family":"postfix"},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: DISCONNECT [1.2.3.4]:1x",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"postscreen.disconnect","clientIp":"1.2.3.4","clientPort":1},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: PREGREET 11 after 0.1 from [192.0.2.10]:51234: EHLO example.com\\r\\n",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"postscreen.violation","test":"pregreet","clientIp":"192.0.2.10","clientPort":51234,"rank":null,"detail":"EHLO example.com\\r\\n"},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: HANGUP after 0.5 from [192.0.2.10]:51234",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"postscreen.violation","test":"hangup","clientIp":"192.0.2.10","clientPort":51234,"rank":null,"detail":null},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: PREGREET 11 from [192.0.2.10]:51234:EHLO x",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"unparsed","reason":"message"},
  ],
  [
    "Mar 10 00:00:01 mx postfix/postscreen[1]: NOQUEUE: reject: RCPT from [1.2.3.4]:5: 450 4.7.1 Greylisted, blocked using zen; from=<a@b>, to=<c@d>, proto=ESMTP, helo=<x>",
    {"at":1773097201,"host":"mx","program":"postfix/postscreen","pid":1,"kind":"postfix.reject","action":"reject","qid":null,"stage":"RCPT","clientHost":null,"clientIp":"1.2.3.4","code":450,"enhanced":"4.7.1","reply":"Greylisted, blocked using zen","reasonClass":"greylist","from":"a@b","to":"c@d","helo":"x","greylist":true},
  ],
  [
    "Mar 10 00:00:01 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from h[1.2.3.4]:25: 550 5.1.1 <a@b>: Recipient address rejected: User unknown; from=<a@b> to=<c@d> proto=ESMTP helo=<x>: tail",
    {"at":1773097201,"host":"mx","program":"postfix/smtpd","pid":1,"kind":"postfix.reject","action":"reject","qid":null,"stage":"RCPT","clientHost":"h","clientIp":"1.2.3.4","code":550,"enhanced":"5.1.1","reply":"<a@b>: Recipient address rejected: User unknown","reasonClass":"unknown-recipient","from":"a@b","to":"c@d","helo":"x","greylist":false},
  ],
  [
    "Mar 10 00:00:01 mx postfix/smtpd[1]: disconnect from unknown[1.2.3.4] ehlo=1 mail=x rcpt=0/1 quit= commands=3/4/5",
    {"at":1773097201,"host":"mx","program":"postfix/smtpd","pid":1,"kind":"smtpd.disconnect","clientHost":"unknown","clientIp":"1.2.3.4","commands":{"ehlo":{"ok":1,"total":1},"rcpt":{"ok":0,"total":1},"quit":{"ok":0,"total":0}}},
  ],
  [
    "Mar 10 00:00:01 mx postfix/dnsblog[1]: addr 1.2.3.4 listed by domain zen as 127.0.0.2",
    {"at":1773097201,"host":"mx","program":"postfix/dnsblog","pid":1,"kind":"postfix.dnsblog","clientIp":"1.2.3.4","list":"zen","answer":"127.0.0.2"},
  ],
  [
    "Mar 10 00:00:01 mb dovecot: imap-login: Login: user=<a@b, method=PLAIN, rip=1.2.3.4)x, lip=, session=<s>",
    {"at":1773097201,"host":"mb","program":"dovecot","pid":null,"kind":"dovecot.login","protocol":"imap","user":"a@b, method=PLAIN, rip=1.2.3.4)x, lip=, session=<s","method":"PLAIN","rip":"1.2.3.4","lip":"","session":"s"},
  ],
  [
    "Mrz 10 00:00:01 mx postfix/smtpd[007]: connect from a[1.2.3.4]",
    {"at":1773097201,"host":"mx","program":"postfix/smtpd","pid":7,"kind":"smtpd.connect","clientHost":"a","clientIp":"1.2.3.4"},
  ],
];

describe('fast paths give the regular-expression answers', () => {
  for (const [line, expected] of CASES) {
    it(line.slice(42, 110), () => {
      expect(parseLine(line, { tz: 'Europe/Rome', year: () => 2026 })).toEqual(expected);
    });
  }
});
