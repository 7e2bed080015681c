// Small SMTP, IMAP and POP3 responders over node:net, with STARTTLS (a real in-place TLS
// upgrade) or implicit TLS, that a test can stop and start again on the same port. They speak
// the lines of Postfix and Dovecot closely enough for a probe; `events` records what happened
// on the server side (commands, each marked with whether TLS was up, and finished handshakes).
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';

export type Protocol = 'smtp' | 'imap' | 'pop3';

export interface ResponderOptions {
  protocol: Protocol;
  /** key + cert for STARTTLS / implicit TLS */
  tls?: { key: string; cert: string };
  implicit?: boolean;
  /** offer STARTTLS / STLS (default: when tls is given and not implicit) */
  starttls?: boolean;
  /** accepted logins */
  users?: Record<string, string>;
  /** never say anything (a hung server) */
  silent?: boolean;
  /** a careless server that quotes the failed command's arguments in its answer */
  echo?: boolean;
}

interface Conn {
  socket: Socket;
  secure: boolean;
  send(text: string): void;
}

export class Responder {
  port = 0;
  readonly events: string[] = [];
  connections = 0;
  open = 0;
  maxOpen = 0;
  /** performance.now() of each accepted connection */
  readonly acceptedAt: number[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly ctx: SecureContext | null;

  constructor(private readonly o: ResponderOptions) {
    this.ctx = o.tls ? createSecureContext({ key: o.tls.key, cert: o.tls.cert }) : null;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((raw) => this.accept(raw));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.port, '127.0.0.1', () => ok());
    });
    const a = server.address();
    if (a && typeof a === 'object') this.port = a.port;
    this.server = server;
  }

  /** Closes the listener and every connection: the next connect is refused. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((ok) => s.close(() => ok()));
  }

  private accept(raw: Socket): void {
    this.connections++;
    this.acceptedAt.push(performance.now());
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    this.sockets.add(raw);
    raw.on('close', () => {
      this.open--;
      this.sockets.delete(raw);
    });
    raw.on('error', () => {});
    if (this.o.implicit) {
      const t = new TLSSocket(raw, { isServer: true, secureContext: this.ctx! });
      t.on('error', () => {});
      t.once('secure', () => {
        this.events.push(`tls ${t.getProtocol()}`);
        this.serve(t, true);
      });
    } else this.serve(raw, false);
  }

  private serve(socket: Socket, secure: boolean, greet = true): void {
    const conn: Conn = { socket, secure, send: (t) => socket.write(t + '\r\n') };
    let buffered = '';
    const onData = (d: Buffer): void => {
      buffered += d.toString('latin1');
      let i: number;
      while ((i = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, i).replace(/\r$/, '');
        buffered = buffered.slice(i + 1);
        this.events.push(`${secure ? 'tls' : 'plain'}> ${line}`);
        if (this.answer(conn, line, () => socket.off('data', onData))) return;
      }
    };
    socket.on('data', onData);
    if (this.o.silent || !greet) return;
    conn.send({ smtp: '220 mx1.test.invalid ESMTP Postfix', imap: `* OK [CAPABILITY IMAP4rev1 SASL-IR${this.offersTls(secure) ? ' STARTTLS' : ''}] Dovecot ready.`, pop3: '+OK Dovecot ready.' }[this.o.protocol]);
  }

  private offersTls(secure: boolean): boolean {
    return !secure && (this.o.starttls ?? (this.o.tls !== undefined && !this.o.implicit));
  }

  /** Upgrades the connection after the "go ahead" line; the caller stops reading plain data. */
  private upgrade(conn: Conn): void {
    const t = new TLSSocket(conn.socket, { isServer: true, secureContext: this.ctx! });
    t.on('error', () => {});
    t.once('secure', () => {
      this.events.push(`tls ${t.getProtocol()}`);
      // after STARTTLS the client speaks first (RFC 3207, 9051, 2595): no second greeting
      this.serve(t, true, false);
    });
  }

  /** Answers one line; true when the connection stops being read as plain lines here. */
  private answer(conn: Conn, line: string, stopReading: () => void): boolean {
    if (this.o.silent) return false;
    const [verb = '', ...rest] = line.split(' ');
    if (this.o.protocol === 'smtp') {
      const v = verb.toUpperCase();
      if (v === 'EHLO') conn.send(['250-mx1.test.invalid', '250-PIPELINING', ...(this.offersTls(conn.secure) ? ['250-STARTTLS'] : []), '250 8BITMIME'].join('\r\n'));
      else if (v === 'STARTTLS' && this.offersTls(conn.secure)) {
        stopReading();
        conn.send('220 2.0.0 Ready to start TLS');
        this.upgrade(conn);
        return true;
      } else if (v === 'QUIT') {
        conn.send('221 2.0.0 Bye');
        conn.socket.end();
      } else conn.send('502 5.5.2 Error: command not recognized');
      return false;
    }
    if (this.o.protocol === 'imap') {
      const tag = verb;
      const cmd = (rest[0] ?? '').toUpperCase();
      const args = rest.slice(1).join(' ');
      if (cmd === 'STARTTLS' && this.offersTls(conn.secure)) {
        stopReading();
        conn.send(`${tag} OK Begin TLS negotiation now.`);
        this.upgrade(conn);
        return true;
      }
      if (cmd === 'LOGIN') {
        const m = /^"((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/.exec(args);
        const unq = (s: string): string => s.replace(/\\(.)/g, '$1');
        if (m && this.o.users?.[unq(m[1]!)] === unq(m[2]!)) conn.send(`${tag} OK [CAPABILITY IMAP4rev1] Logged in`);
        else conn.send(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.${this.o.echo ? ` (LOGIN ${args})` : ''}`);
      } else if (cmd === 'LOGOUT') {
        conn.send('* BYE Logging out');
        conn.send(`${tag} OK Logout completed.`);
        conn.socket.end();
      } else conn.send(`${tag} BAD Error in IMAP command ${cmd}: Unknown command.`);
      return false;
    }
    const v = verb.toUpperCase();
    if (v === 'STLS' && this.offersTls(conn.secure)) {
      stopReading();
      conn.send('+OK Begin TLS negotiation now.');
      this.upgrade(conn);
      return true;
    }
    if (v === 'USER') {
      (conn as Conn & { user?: string }).user = rest.join(' ');
      conn.send('+OK');
    } else if (v === 'PASS') {
      const user = (conn as Conn & { user?: string }).user ?? '';
      const pass = rest.join(' ');
      conn.send(this.o.users?.[user] === pass ? '+OK Logged in.' : `-ERR [AUTH] Authentication failed.${this.o.echo ? ` (PASS ${pass})` : ''}`);
    } else if (v === 'QUIT') {
      conn.send('+OK Logging out.');
      conn.socket.end();
    } else conn.send('-ERR Unknown command.');
    return false;
  }
}

export async function startResponder(o: ResponderOptions): Promise<Responder> {
  const r = new Responder(o);
  await r.start();
  return r;
}
