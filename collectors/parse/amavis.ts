// amavisd-new (2.6 - 2.13) messages: the verdict line per message, start/stop, and chatter.
import type { Envelope, MailEvent } from './events';
import { num, unangle } from './patterns';

type Base = { at: number; host: string; program: string; pid: number | null };

// The verdict head, 2.7+ with an action block, 2.6 without, and virus/banned detail in parentheses:
// `(22027-09) Blocked SPAM {DiscardedInbound,Quarantined}, [...]:35863 [...] <***@***> -> <***@***>, quarantine: 7/spam-7vykgLjHGVrk.gz, Queue-ID: 23C7D524CFC, ...`
// `(27693-06) Blocked INFECTED (Win.Trojan.Generickd-2094), [194.214.158.196] [167.88.35.187] <blombacke@olivesverige.se> -> <..>, quarantine: 3/virus-3tsxby3v3tSL, ...`
// `(05136-09) Passed CLEAN, [194.167.55.26] [193.54.112.219] <ossecm@monitor> -> <..>,<..>, mail_id: 0gehnk-A5kVd, Hits: -, size: 1332, queued_as: B60132CB20, 152 ms`
// `(01282-01) Passed, <***@***.com> -> <***@***.com>, quarantine S68df6LqJbl7, Message-ID: <..>,` (2.4/2.5: no verdict word)
const RE_VERDICT = /^(?:\(([\w-]+)\) )?(Passed|Blocked|Not-Delivered)(?: ([A-Z][A-Z0-9-]*))?(?: \(([\s\S]*?)\)(?= \{|,))?(?: \{([^}]*)\})?,([\s\S]*)$/;
// `<a@b> -> <c@d>,<e@f>` (sender may be empty `<>`)
const RE_ADDRS = /<([^>]*)> -> ((?:<[^>]*>,?)+)/;
// `[1.2.3.4]:5678 [1.2.3.4]`: the SMTP peer, then the originating client from the Received header
const RE_BRACKET_IP = /\[([0-9A-Fa-f:.]+|\.\.\.)\](?::\d+)?/g;
// `Queue-ID: 4FA2B1C2D3,`
const RE_QUEUE_ID = /Queue-ID: ([0-9A-Za-z]+)/;
// `Message-ID: <x@y>,`
const RE_MSGID = /Message-ID: (<[^>]*>|\S+?),/;
// `mail_id: 0gehnk-A5kVd,`
const RE_MAIL_ID = /mail_id: ([^,\s]+)/;
// `Hits: -1.2,`, `Hits: -,`
const RE_HITS = /Hits: (-?[\d.]+|-)/;
// `size: 2345,`
const RE_SIZE = /size: (\d+)/;
// `queued_as: 4FB0C1D2E3,`, `queued_as: A/B,`, `queued_as: A, B, 1234 ms`
const RE_QUEUED_AS = /queued_as: ([0-9A-Za-z]+(?:(?:\/|, )(?!\d+ ms)[0-9A-Za-z]+(?=[,/]|$))*)/;
// `, 1234 ms` at the end
const RE_ELAPSED = /, (\d+) ms$/;
// start: `starting. /usr/sbin/amavisd-new at hostname.domain.com amavisd-new-2.11.0 (20160426), Unicode aware`
//        `Net::Server: 2019/01/24-19:40:49 Amavis (type Net::Server::PreForkSimple) starting! pid(600)`
const RE_START = /^starting\.\s|^Net::Server: .*(?:starting!|Starting)/;
// stop: `(!)Net::Server: 2019/01/24-19:40:49 Server closing!`, `Net::Server: ... SIGTERM received`, `SIGTERM received, shutting down`
const RE_STOP = /Server closing!|SIGTERM received|^(?:\(!\))?Net::Server: .*(?:shutting down|exiting)|^Daemon (?:shut ?down|terminated)/;

const ORIGINATING_BLOCK = /Outbound|Originating|Internal/;

function base(e: Envelope): Base {
  return { at: e.at, host: e.host, program: e.program, pid: e.pid };
}

export function parseAmavis(env: Envelope): MailEvent | null {
  const b = base(env);
  const msg = env.message;
  const m = RE_VERDICT.exec(msg);
  if (m) {
    const rest = m[6]!;
    const arrow = rest.indexOf(' -> ');
    const lt = arrow < 0 ? rest.length : rest.lastIndexOf('<', arrow);
    const head = rest.slice(0, Math.max(lt, 0));
    const a = RE_ADDRS.exec(rest);
    const ips: string[] = [];
    RE_BRACKET_IP.lastIndex = 0;
    let im: RegExpExecArray | null;
    while ((im = RE_BRACKET_IP.exec(head)) !== null) ips.push(im[1]!);
    const known = ips.filter((ip) => ip !== '...');
    const qa = RE_QUEUED_AS.exec(rest);
    const hits = RE_HITS.exec(rest);
    const el = RE_ELAPSED.exec(rest);
    const mid = RE_MSGID.exec(rest);
    return {
      at: b.at, host: b.host, program: b.program, pid: b.pid,
      kind: 'amavis.verdict',
      action: m[2] as 'Passed' | 'Blocked' | 'Not-Delivered',
      verdict: m[3] ?? '',
      detail: m[4] ?? null,
      originating: /\bORIGINATING\b/.test(head) || ORIGINATING_BLOCK.test(m[5] ?? ''),
      clientIp: known.length ? known[known.length - 1]! : null,
      from: a ? a[1]! : null,
      to: a ? a[2]!.split(',').filter((x) => x !== '').map(unangle) : [],
      qid: RE_QUEUE_ID.exec(rest)?.[1] ?? null,
      queuedAs: qa ? qa[1]!.split(/\/|, /) : [],
      hits: hits && hits[1] !== '-' ? num(hits[1]) : null,
      size: num(RE_SIZE.exec(rest)?.[1]),
      messageId: mid ? unangle(mid[1]!) : null,
      mailId: RE_MAIL_ID.exec(rest)?.[1] ?? null,
      elapsedMs: el ? Number(el[1]) : null,
    };
  }
  if (RE_START.test(msg)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'amavis.lifecycle', action: 'start' };
  if (RE_STOP.test(msg)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'amavis.lifecycle', action: 'stop' };
  // a verdict-looking line that did not parse is a new shape: say so
  if (/^(?:\([\w-]+\) )?(?:Passed|Blocked) [A-Z]/.test(msg)) return null;
  return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'noise', family: 'amavis' };
}
