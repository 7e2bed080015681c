// POP3 probe: the greeting, STLS when configured (RFC 2595), USER/PASS with the probe account
// when one is configured, QUIT (RFC 1939).
import { LineSession } from './line-session';
import { tlsSeen } from './cert';
import { ProbeFailure, quote, type ProtocolContext, type ProtocolOutcome } from './protocol';

async function ok(s: LineSession, step: string): Promise<void> {
  const line = await s.readLine();
  if (!/^\+OK\b/.test(line)) throw new ProbeFailure(`${step}: ${quote(line)}`);
}

export async function probePop3(ctx: ProtocolContext): Promise<ProtocolOutcome> {
  const mode = ctx.probe.tls;
  const s = await LineSession.open(ctx.host, ctx.port, ctx.signal, mode === 'implicit' ? ctx.tls : undefined);
  try {
    await ok(s, 'greeting');
    if (mode === 'starttls') {
      s.write('STLS');
      await ok(s, 'STLS');
      await s.startTls(ctx.tls);
    }
    const tls = tlsSeen(s.tlsSocket, ctx.nowMs());
    const login = ctx.probe.login;
    if (login) {
      if (/[\r\n\0]/.test(login.user + (ctx.password ?? ''))) throw new ProbeFailure('login: the user or password holds a line break or NUL');
      s.write(`USER ${login.user}`);
      await ok(s, 'USER');
      s.write(`PASS ${ctx.password ?? ''}`);
      await ok(s, 'PASS');
    }
    s.write('QUIT');
    await ok(s, 'QUIT');
    return { tls };
  } finally {
    s.close();
  }
}
