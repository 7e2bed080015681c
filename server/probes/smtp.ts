// SMTP probe: the 220 banner, EHLO, STARTTLS when configured (then EHLO again, as RFC 3207
// requires), QUIT. Implicit TLS (port 465) wraps the whole dialogue.
import { LineSession } from './line-session';
import { tlsSeen } from './cert';
import { ProbeFailure, quote, type ProtocolContext, type ProtocolOutcome } from './protocol';

interface Reply {
  code: number;
  lines: string[];
}

/** One SMTP reply: `250-...` continuation lines up to the `250 ...` one (RFC 5321 4.2.1). */
async function readReply(s: LineSession): Promise<Reply> {
  const lines: string[] = [];
  for (;;) {
    const line = await s.readLine();
    const m = /^(\d{3})([ -]|$)/.exec(line);
    if (!m) throw new ProbeFailure(`not an SMTP reply: ${quote(line)}`);
    lines.push(line);
    if (m[2] !== '-') return { code: Number(m[1]), lines };
  }
}

async function expect(s: LineSession, step: string, code: number): Promise<Reply> {
  const r = await readReply(s);
  if (r.code !== code) throw new ProbeFailure(`${step}: expected ${code}, got ${quote(r.lines.join(' / '))}`);
  return r;
}

export async function probeSmtp(ctx: ProtocolContext): Promise<ProtocolOutcome> {
  const mode = ctx.probe.tls;
  const s = await LineSession.open(ctx.host, ctx.port, ctx.signal, mode === 'implicit' ? ctx.tls : undefined);
  try {
    await expect(s, 'banner', 220);
    s.write(`EHLO ${ctx.probe.helo}`);
    const ehlo = await expect(s, 'EHLO', 250);
    if (mode === 'starttls') {
      if (!ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) throw new ProbeFailure('EHLO: the server does not offer STARTTLS');
      s.write('STARTTLS');
      await expect(s, 'STARTTLS', 220);
      await s.startTls(ctx.tls);
      s.write(`EHLO ${ctx.probe.helo}`);
      await expect(s, 'EHLO after STARTTLS', 250);
    }
    const tls = tlsSeen(s.tlsSocket, ctx.nowMs());
    s.write('QUIT');
    await expect(s, 'QUIT', 221);
    return { tls };
  } finally {
    s.close();
  }
}
