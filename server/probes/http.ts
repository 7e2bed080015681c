// HTTP(S) probe for webmail: one GET of the configured URL; a status below 400 is up (a
// redirect to the login page is the normal answer of Roundcube). Redirects are not followed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tlsOptions } from './line-session';
import { tlsSeen, type TlsSeen } from './cert';
import { ProbeFailure, type ProtocolContext, type ProtocolOutcome } from './protocol';

export async function probeHttp(ctx: ProtocolContext): Promise<ProtocolOutcome> {
  const url = new URL(ctx.probe.target);
  const secure = url.protocol === 'https:';
  const res = await new Promise<{ res: IncomingMessage; tls: TlsSeen | null }>((ok, fail) => {
    const options = { method: 'GET', signal: ctx.signal, headers: { 'user-agent': 'postino-probe' }, agent: false as const };
    const req = secure ? httpsRequest(url, { ...options, ...tlsOptions({ ...ctx.tls, host: url.hostname.replace(/^\[|\]$/g, '') }) }) : httpRequest(url, options);
    req.once('response', (res) => ok({ res, tls: secure ? tlsSeen(res.socket as TLSSocket, ctx.nowMs()) : null }));
    req.once('error', (e) => fail(ctx.signal.aborted && ctx.signal.reason instanceof Error ? ctx.signal.reason : e));
    req.end();
  });
  res.res.resume();
  res.res.socket?.destroy();
  const status = res.res.statusCode ?? 0;
  if (status >= 400) throw new ProbeFailure(`GET: HTTP ${status}${res.res.statusMessage ? ' ' + res.res.statusMessage : ''}`);
  return { tls: res.tls };
}
