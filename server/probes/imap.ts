// IMAP probe: the greeting, STARTTLS when configured, LOGIN with the probe account when one
// is configured, LOGOUT (RFC 9051).
import { LineSession } from './line-session';
import { tlsSeen } from './cert';
import { ProbeFailure, quote, type ProtocolContext, type ProtocolOutcome } from './protocol';

/** An IMAP quoted string (RFC 9051 `quoted`): backslash and double quote escaped. */
export function imapQuoted(s: string): string {
  if (/[\r\n\0]/.test(s)) throw new ProbeFailure('login: the user or password holds a line break or NUL, which IMAP cannot quote');
  return `"${s.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}

/** Reads up to the tagged completion of `tag`; untagged lines are skipped, BYE fails. */
async function completion(s: LineSession, tag: string, step: string): Promise<void> {
  for (;;) {
    const line = await s.readLine();
    if (line.startsWith('* BYE') && step !== 'LOGOUT') throw new ProbeFailure(`${step}: ${quote(line)}`);
    if (line.startsWith(tag + ' ')) {
      const status = line.slice(tag.length + 1);
      if (/^OK\b/i.test(status)) return;
      throw new ProbeFailure(`${step}: ${quote(status)}`);
    }
  }
}

export async function probeImap(ctx: ProtocolContext): Promise<ProtocolOutcome> {
  const mode = ctx.probe.tls;
  const s = await LineSession.open(ctx.host, ctx.port, ctx.signal, mode === 'implicit' ? ctx.tls : undefined);
  try {
    const greeting = await s.readLine();
    if (!/^\* (OK|PREAUTH)\b/i.test(greeting)) throw new ProbeFailure(`greeting: ${quote(greeting)}`);
    if (mode === 'starttls') {
      s.write('a1 STARTTLS');
      await completion(s, 'a1', 'STARTTLS');
      await s.startTls(ctx.tls);
    }
    const tls = tlsSeen(s.tlsSocket, ctx.nowMs());
    const login = ctx.probe.login;
    if (login) {
      s.write(`a2 LOGIN ${imapQuoted(login.user)} ${imapQuoted(ctx.password ?? '')}`);
      await completion(s, 'a2', 'LOGIN');
    }
    s.write('a3 LOGOUT');
    await completion(s, 'a3', 'LOGOUT');
    return { tls };
  } finally {
    s.close();
  }
}
