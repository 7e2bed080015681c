// Mail delivery of a report through the configured relay: a real SMTP server started by the
// test on 127.0.0.1 (smtp-server) receives the message with the PDF attached.
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { mailReport } from '../../reports/delivery/mail-report';
import { reportsSchema } from '../../core/config/reports-schema';

interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
}

const received: Received[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    // no TLS on this test relay; AUTH allowed over plain text for the test only
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'postino' && auth.password === 'relay-pass') cb(null, { user: auth.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : null,
        });
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const pdf = Buffer.from('%PDF-1.3\n% a stand-in document for the transport test\n%%EOF\n');

describe('mail delivery', () => {
  it('sends the PDF to every recipient through the relay, with SMTP AUTH', async () => {
    const cfg = reportsSchema.parse({
      mail: { recipients: ['direzione@unipi.example', 'ced@unipi.example'], from: 'postino@unipi.example', smtp: { host: '127.0.0.1', port, auth: { user: 'postino', pass: 'relay-pass' } } },
    }).mail;
    const r = await mailReport(cfg, { month: '2026-03', lang: 'it', pdf });
    expect(r?.accepted.sort()).toEqual(['ced@unipi.example', 'direzione@unipi.example']);
    const m = received.at(-1)!;
    expect(m.user).toBe('postino');
    expect(m.from).toBe('postino@unipi.example');
    expect(m.to.sort()).toEqual(['ced@unipi.example', 'direzione@unipi.example']);
    // the subject holds a non-ASCII "·": MIME encoded-words
    const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(m.raw)![1]!;
    const decoded = subject.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?Q\?(.*?)\?=\s*/gi, (_x, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_y, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
    expect(decoded).toBe('postino: Rapporto mensile · marzo 2026');
    expect(m.raw).toMatch(/Content-Type: application\/pdf; name=postino-2026-03\.pdf/);
    const b64 = /Content-Disposition: attachment; filename=postino-2026-03\.pdf\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(m.raw)![1]!;
    expect(Buffer.from(b64.replace(/\s+/g, ''), 'base64').equals(pdf)).toBe(true);
  });

  it('sends nothing without recipients, and fails loudly when the relay refuses the login', async () => {
    const before = received.length;
    expect(await mailReport(reportsSchema.parse({}).mail, { month: '2026-03', lang: 'en', pdf })).toBeNull();
    const bad = reportsSchema.parse({ mail: { recipients: ['ced@unipi.example'], smtp: { host: '127.0.0.1', port, auth: { user: 'postino', pass: 'wrong' } } } }).mail;
    await expect(mailReport(bad, { month: '2026-03', lang: 'en', pdf })).rejects.toThrow(/auth|credentials|535/i);
    expect(received.length).toBe(before);
  });
});
