// A line-oriented client connection (SMTP, IMAP, POP3 all speak CRLF lines) that can be
// upgraded to TLS in place (STARTTLS) and is torn down by the probe's deadline.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket, type ConnectionOptions } from 'node:tls';
import { isIP } from 'node:net';

export interface TlsSettings {
  /** the name the certificate must match (the target's host) */
  host: string;
  rejectUnauthorized: boolean;
  ca: string | undefined;
}

/** A server that talks forever must not fill our memory: one reply line is at most this long. */
const MAX_LINE = 64 * 1024;

export class LineSession {
  private socket: Socket;
  private buffered = '';
  private lines: string[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private readonly onData = (d: Buffer): void => this.take(d);
  private readonly onError = (e: Error): void => this.fail(e);
  private readonly onClose = (): void => this.fail(new Error('connection closed by the server'));

  private constructor(socket: Socket, signal: AbortSignal) {
    this.socket = socket;
    this.attach(socket);
    const abort = (): void => {
      this.fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      this.socket.destroy();
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }

  /** Connects (in TLS from the first byte when `tls` is given: implicit TLS). */
  static async open(host: string, port: number, signal: AbortSignal, tls?: TlsSettings): Promise<LineSession> {
    const socket: Socket = tls ? tlsConnect({ ...tlsOptions(tls), host, port }) : netConnect({ host, port });
    const session = new LineSession(socket, signal);
    await session.waitFor(socket, tls ? 'secureConnect' : 'connect');
    return session;
  }

  get tlsSocket(): TLSSocket | null {
    return 'encrypted' in this.socket ? (this.socket as TLSSocket) : null;
  }

  /** Upgrades the connection to TLS after the server agreed to STARTTLS / STLS. */
  async startTls(tls: TlsSettings): Promise<void> {
    if (this.buffered || this.lines.length) throw new Error('the server sent data before the TLS handshake');
    const plain = this.socket;
    this.detach(plain);
    // The TLS socket reports the connection's errors from now on; an error still raised on the
    // plain one must not go unhandled (it would end the process).
    plain.on('error', () => {});
    const secure = tlsConnect({ socket: plain, ...tlsOptions(tls) });
    this.socket = secure;
    this.attach(secure);
    await this.waitFor(secure, 'secureConnect');
  }

  write(line: string): void {
    this.socket.write(line + '\r\n');
  }

  async readLine(): Promise<string> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.failure) throw this.failure;
      await new Promise<void>((ok) => (this.wake = ok));
    }
  }

  close(): void {
    this.detach(this.socket);
    this.socket.on('error', () => {});
    this.socket.destroy();
  }

  private waitFor(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
    return new Promise((ok, fail) => {
      if (this.failure) return fail(this.failure);
      const done = (): void => {
        this.wake = null;
        socket.off(event, done);
        if (this.failure) fail(this.failure);
        else ok();
      };
      socket.once(event, done);
      this.wake = done;
    });
  }

  private take(d: Buffer): void {
    // latin1 keeps every byte; replies are ASCII, and no text is interpreted beyond codes.
    this.buffered += d.toString('latin1');
    let i: number;
    while ((i = this.buffered.indexOf('\n')) >= 0) {
      this.lines.push(this.buffered.slice(0, i).replace(/\r$/, ''));
      this.buffered = this.buffered.slice(i + 1);
    }
    if (this.buffered.length > MAX_LINE) this.fail(new Error('reply line too long'));
    this.poke();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private attach(s: Socket): void {
    s.on('data', this.onData);
    s.on('error', this.onError);
    s.on('close', this.onClose);
  }

  private detach(s: Socket): void {
    s.off('data', this.onData);
    s.off('error', this.onError);
    s.off('close', this.onClose);
  }
}

export function tlsOptions(t: TlsSettings): ConnectionOptions {
  // SNI carries names only (RFC 6066); `host` is still what the certificate is checked against,
  // also on an upgraded socket, where tls.connect would otherwise check against "localhost".
  return {
    host: t.host,
    ...(isIP(t.host) === 0 ? { servername: t.host } : {}),
    rejectUnauthorized: t.rejectUnauthorized,
    ...(t.ca !== undefined ? { ca: t.ca } : {}),
  };
}
