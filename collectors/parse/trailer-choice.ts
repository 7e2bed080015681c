// Which `; from=<` of a reject line starts Postfix's own trailer. Client text can hold the same
// characters: a HELO argument is printed as sent (spaces and angle brackets included), and a
// cleanup `reject: header ...` line quotes header or body text. Postfix writes
// `from=<%s> to=<%s> proto=%s helo=<%s>` in that order, helo last (smtpd_check.c, cleanup's
// cleanup_act_log), so text a client controls must never decide the fields before it.
import { splitReply } from './patterns';

export interface TrailerReading {
  reply: string;
  from: string | null;
  to: string | null;
  helo: string | null;
}

/** Indexes of `; from=<` in text, left to right. */
function trailerStarts(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('; from=<'); i >= 0; i = text.indexOf('; from=<', i + 1)) out.push(i);
  return out;
}

/** `504 5.5.2 <H>: Helo command rejected: ...` with H the reading's own HELO. */
function echoesHelo(t: TrailerReading): boolean {
  return t.helo !== null && splitReply(t.reply).reply.startsWith(`<${t.helo}>: Helo command rejected`);
}

/**
 * smtpd and postscreen rejects: `reply; from=<S> to=<R> proto=P helo=<H>`. A fake trailer in the
 * HELO lies after the real one, so the leftmost reading wins; a HELO is echoed in the reply only
 * by a HELO reject, and then the real reading is the one whose reply quotes its own HELO (a fake
 * inside the echo cannot: its HELO runs past the reply).
 */
export function chooseSmtpdTrailer<T extends TrailerReading>(text: string, readAt: (idx: number) => T | null): T | null {
  let first: T | null = null;
  for (const i of trailerStarts(text)) {
    const t = readAt(i);
    if (!t) continue;
    if (echoesHelo(t)) return t;
    first ??= t;
  }
  return first;
}

const utf8 = new TextEncoder();
// the part before `; from=<`: `Subject: xxx from host[ip]` / `... from local`
const RE_CHECK_CLIENT = / from (?:([^\s\[\]]*)\[([^\]]*)\](?::\d+)?|local)$/;
/** cleanup_act_log prints the header or body text with `%.200s`: at most 200 bytes. */
const CONTENT_MAX_BYTES = 200;

/**
 * cleanup header/body checks: `TEXT from CLIENT; from=<S> to=<R> proto=P helo=<H>: reply`, with
 * TEXT and H both client text. Readings whose TEXT is too long for Postfix's `%.200s` or that do
 * not follow ` from CLIENT` are not Postfix's. When a fake trailer in TEXT and one in H leave
 * more than one reading that disagree on the sender or recipient, neither is believed: they
 * are left unknown rather than forged.
 */
export function chooseCleanupTrailer<T extends TrailerReading>(text: string, readAt: (idx: number) => T | null): T | null {
  const ok: T[] = [];
  for (const i of trailerStarts(text)) {
    const head = text.slice(0, i);
    const m = RE_CHECK_CLIENT.exec(head);
    if (!m || utf8.encode(head.slice(0, m.index)).length > CONTENT_MAX_BYTES) continue;
    const t = readAt(i);
    if (t) ok.push(t);
  }
  if (ok.length <= 1) return ok[0] ?? null;
  const a = ok[0]!;
  if (ok.every((t) => t.from === a.from && t.to === a.to)) return a;
  return { ...a, from: null, to: null };
}
