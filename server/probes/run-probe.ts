// Runs one probe once, within its timeout, and says what happened as a probe_results row.
import { readFileSync } from 'node:fs';
import { parseHostPort, defaultPort, type ProbeConfig } from '../../core/config/probes-schema';
import { ProbeFailure, type ProtocolContext, type ProtocolOutcome } from './protocol';
import { resolvePassword, redact } from './secrets';
import { probeSmtp } from './smtp';
import { probeImap } from './imap';
import { probePop3 } from './pop3';
import { probeHttp } from './http';

export interface ProbeResult {
  /** unix seconds when the probe started */
  at: number;
  probe: string;
  host: string;
  service: string;
  ok: boolean;
  /** ms from the start to the last answer; null when it failed */
  latency_ms: number | null;
  /** the failure reason ('' on success), never holding the password */
  detail: string;
  /** TLS version negotiated, when TLS was used (not stored) */
  tls: string | null;
  cert_days_left: number | null;
}

const protocols: Record<ProbeConfig['type'], (ctx: ProtocolContext) => Promise<ProtocolOutcome>> = {
  smtp: probeSmtp,
  imap: probeImap,
  pop3: probePop3,
  http: probeHttp,
};

/** The failure as an operator reads it: the step's complaint, or the socket's error code. */
function describeError(e: unknown): string {
  if (e instanceof ProbeFailure) return e.message;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (err?.code && err.message) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(e);
}

export interface RunOptions {
  nowMs?: () => number;
  env?: NodeJS.ProcessEnv;
  /** aborting it (shutdown) ends the run early; the caller then drops its result */
  signal?: AbortSignal;
}

export async function runProbe(p: ProbeConfig, opts: RunOptions = {}): Promise<ProbeResult> {
  const nowMs = opts.nowMs ?? Date.now;
  const startedMs = nowMs();
  const startedHr = performance.now();
  const base = { at: Math.floor(startedMs / 1000), probe: p.name, host: p.host, service: p.service };
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new ProbeFailure(`timeout after ${p.timeout_s} s`)), p.timeout_s * 1000);
  const signal = opts.signal ? AbortSignal.any([timeout.signal, opts.signal]) : timeout.signal;
  let password: string | null = null;
  try {
    password = resolvePassword(p.login, opts.env);
    let host = '';
    let port = 0;
    if (p.type !== 'http') {
      const hp = parseHostPort(p.target)!;
      host = hp.host;
      port = hp.port ?? (p.tls === 'implicit' ? defaultPort[p.type].implicit : defaultPort[p.type].plain);
    } else {
      host = new URL(p.target).hostname.replace(/^\[|\]$/g, '');
    }
    const ca = p.tls_ca_file !== undefined ? readFileSync(p.tls_ca_file, 'utf8') : undefined;
    const outcome = await protocols[p.type]({ probe: p, host, port, signal, tls: { host, rejectUnauthorized: p.tls_verify, ca }, password, nowMs });
    return {
      ...base,
      ok: true,
      latency_ms: Math.round(performance.now() - startedHr),
      detail: '',
      tls: outcome.tls?.protocol ?? null,
      cert_days_left: p.check_cert ? (outcome.tls?.cert_days_left ?? null) : null,
    };
  } catch (e) {
    const why = signal.aborted && signal.reason instanceof Error ? describeError(signal.reason) : describeError(e);
    return { ...base, ok: false, latency_ms: null, detail: redact(why, [password, p.login?.password]), tls: null, cert_days_left: null };
  } finally {
    clearTimeout(timer);
  }
}
