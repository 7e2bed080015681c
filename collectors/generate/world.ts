// The observed system (hosts, users, outside peers) built deterministically from a seed.
import type { Rng } from './prng';

const FIRST = [
  'mario', 'luca', 'giulia', 'francesca', 'marco', 'andrea', 'sara', 'chiara', 'paolo', 'anna', 'giovanni', 'elena',
  'stefano', 'laura', 'alessandro', 'valentina', 'roberto', 'federica', 'matteo', 'silvia', 'davide', 'martina',
  'simone', 'elisa', 'francesco', 'alessia', 'lorenzo', 'giorgia', 'riccardo', 'claudia', 'antonio', 'marta',
  'giuseppe', 'roberta', 'fabio', 'cristina', 'massimo', 'monica', 'daniele', 'barbara', 'emanuele', 'ilaria',
  'nicola', 'serena', 'filippo', 'beatrice', 'pietro', 'caterina', 'tommaso', 'alice', 'gabriele', 'irene',
];
const LAST = [
  'rossi', 'russo', 'ferrari', 'esposito', 'bianchi', 'romano', 'colombo', 'ricci', 'marino', 'greco', 'bruno',
  'gallo', 'conti', 'deluca', 'mancini', 'costa', 'giordano', 'rizzo', 'lombardi', 'moretti', 'barbieri', 'fontana',
  'santoro', 'mariani', 'rinaldi', 'caruso', 'ferrara', 'galli', 'martini', 'leone', 'longo', 'gentile', 'martinelli',
  'vitale', 'lombardo', 'serra', 'coppola', 'desantis', 'dangelo', 'marchetti', 'parisi', 'villa', 'conte',
  'ferraro', 'ferri', 'fabbri', 'bianco', 'marini', 'grasso', 'valentini', 'messina', 'sala', 'gatti', 'pellegrini',
  'palumbo', 'sanna', 'farina', 'rizzi', 'monti', 'cattaneo', 'morelli', 'amato', 'silvestri', 'mazza', 'testa',
  'grassi', 'pellegrino', 'carbone', 'giuliani', 'benedetti', 'barone', 'rossetti', 'caputo', 'montanari', 'guerra',
  'palmieri', 'bernardi', 'martino', 'fiore', 'derosa', 'ferretti', 'bellini', 'basile', 'riva', 'donati', 'piras',
  'vitali', 'battaglia', 'sartori', 'neri', 'costantini', 'milani', 'pagano', 'ruggiero', 'sorrentino', 'orlando',
];
/** The departments with mail domains of their own (the other mailboxes are on unipi.it). */
export const DEPARTMENTS: ReadonlyArray<{ name: string; domain: string }> = [
  { name: 'Mathematics', domain: 'dm.unipi.it' },
  { name: 'Engineering', domain: 'ing.unipi.it' },
  { name: 'Computer Science', domain: 'di.unipi.it' },
  { name: 'Physics', domain: 'df.unipi.it' },
  { name: 'Chemistry', domain: 'dcci.unipi.it' },
  { name: 'Medicine', domain: 'med.unipi.it' },
  { name: 'Economics', domain: 'ec.unipi.it' },
];
const DEPT = DEPARTMENTS.map((d) => d.domain);

export interface Mailbox {
  addr: string;
  /** 0 = mbox1, 1 = mbox2 */
  mbox: number;
  ip: string;
  active: boolean;
}

export interface ForwardUser {
  addr: string;
  target: string;
  peer: Peer;
}

export interface Peer {
  /** MX / relay host name */
  host: string;
  ip: string;
  domain: string;
  kind: 'gmail' | 'outlook' | 'yahoo' | 'other';
}

export interface Sender {
  host: string;
  ip: string;
  helo: string;
  domain: string;
  whitelisted: boolean;
}

export interface MxHost {
  name: string;
  ip: string;
  postscreenPid: number;
  qmgrPid: number;
  nextPid: number;
  cleanup: number[];
  smtp: number[];
  lmtp: number[];
  dnsblog: number[];
  bounce: number[];
  amavis: Array<{ pid: number; n: number }>;
}

export interface ProxyHost {
  name: string;
  ip: string;
  internal: string;
}

export interface MboxHost {
  name: string;
  ip: string;
  masterPid: number;
  nextPid: number;
  lmtpPids: number[];
}

export function ipOf(rng: Rng, firstOctets: readonly number[]): string {
  return `${rng.pick(firstOctets)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

const BOT_NETS = [5, 14, 27, 36, 37, 41, 45, 49, 58, 59, 61, 77, 78, 80, 89, 91, 93, 103, 106, 110, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 171, 175, 177, 179, 181, 182, 183, 185, 186, 187, 189, 190, 191, 193, 194, 195, 196, 197, 200, 201, 212, 213, 217, 218, 220, 221, 222, 223];
const HOME_NETS = [2, 5, 37, 79, 80, 87, 93, 95, 151, 176, 188];

export function botIp(rng: Rng): string {
  return ipOf(rng, BOT_NETS);
}

function mkPids(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.intRange(2000, 60000));
  return out;
}

export class World {
  readonly mx: MxHost[];
  readonly out: MxHost[];
  readonly proxies: ProxyHost[];
  readonly mboxes: MboxHost[];
  readonly mailboxes: Mailbox[];
  readonly activeMailboxes: Mailbox[];
  readonly forwards: ForwardUser[];
  readonly senders: Sender[];
  readonly peers: Peer[];
  readonly forwardPeers: Peer[];

  constructor(rng: Rng, scale: number) {
    const mkHost = (name: string, ip: string): MxHost => ({
      name,
      ip,
      postscreenPid: rng.intRange(900, 3000),
      qmgrPid: rng.intRange(900, 3000),
      nextPid: rng.intRange(10000, 40000),
      cleanup: mkPids(rng, 6),
      smtp: mkPids(rng, 8),
      lmtp: mkPids(rng, 4),
      dnsblog: mkPids(rng, 4),
      bounce: mkPids(rng, 2),
      amavis: mkPids(rng, 8).map((pid) => ({ pid, n: rng.intRange(1, 15) })),
    });
    this.mx = [1, 2, 3, 4].map((i) => mkHost(`mx${i}.unipi.it`, `131.114.21.${10 + i}`));
    this.out = [1, 2].map((i) => mkHost(`smtp-out${i}.unipi.it`, `131.114.21.${20 + i}`));
    this.proxies = [1, 2].map((i) => ({ name: `imap${i}.unipi.it`, ip: `131.114.21.${30 + i}`, internal: `10.1.0.${20 + i}` }));
    this.mboxes = [1, 2].map((i) => ({
      name: `mbox${i}.unipi.it`,
      ip: `10.1.0.${10 + i}`,
      masterPid: rng.intRange(700, 1500),
      nextPid: rng.intRange(20000, 50000),
      lmtpPids: mkPids(rng, 4),
    }));

    const nMailbox = Math.max(30, Math.round(6000 * scale));
    const nForward = Math.max(60, Math.round(70000 * scale));
    const seen = new Set<string>();
    const uniq = (local: string, domain: string): string => {
      let a = `${local}@${domain}`;
      for (let k = 2; seen.has(a); k++) a = `${local}${k}@${domain}`;
      seen.add(a);
      return a;
    };
    this.mailboxes = [];
    for (let i = 0; i < nMailbox; i++) {
      const local = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
      const domain = rng.chance(0.72) ? 'unipi.it' : rng.pick(DEPT);
      this.mailboxes.push({ addr: uniq(local, domain), mbox: i % 2, ip: ipOf(rng, HOME_NETS), active: rng.chance(0.82) });
    }
    this.activeMailboxes = this.mailboxes.filter((m) => m.active);

    const fwdPeers: Peer[] = [
      { host: 'gmail-smtp-in.l.google.com', ip: '142.250.27.26', domain: 'gmail.com', kind: 'gmail' },
      { host: 'alt1.gmail-smtp-in.l.google.com', ip: '142.250.153.27', domain: 'gmail.com', kind: 'gmail' },
      { host: 'eur.olc.protection.outlook.com', ip: '52.101.68.7', domain: 'outlook.com', kind: 'outlook' },
      { host: 'hotmail-com.olc.protection.outlook.com', ip: '52.101.42.0', domain: 'hotmail.com', kind: 'outlook' },
      { host: 'mta7.am0.yahoodns.net', ip: '67.195.204.72', domain: 'yahoo.it', kind: 'yahoo' },
      { host: 'smtp-in.libero.it', ip: '213.209.1.129', domain: 'libero.it', kind: 'other' },
      { host: 'mx01.mail.icloud.com', ip: '17.57.154.6', domain: 'icloud.com', kind: 'other' },
    ];
    this.forwardPeers = fwdPeers;
    this.forwards = [];
    for (let i = 0; i < nForward; i++) {
      const f = rng.pick(FIRST);
      const l = rng.pick(LAST);
      const addr = uniq(`${f[0]}.${l}`, rng.chance(0.85) ? 'studenti.unipi.it' : 'unipi.it');
      const r = rng.next();
      const peer = r < 0.62 ? fwdPeers[rng.int(2)]! : r < 0.8 ? fwdPeers[2 + rng.int(2)]! : fwdPeers[4 + rng.int(3)]!;
      this.forwards.push({ addr, target: `${f}${l}${rng.int(100)}@${peer.domain}`, peer });
    }

    const otherDomains = [
      'unifi.it', 'unibo.it', 'polimi.it', 'cnr.it', 'infn.it', 'sns.it', 'santannapisa.it', 'uniroma1.it', 'unimi.it',
      'ethz.ch', 'cam.ac.uk', 'mit.edu', 'springer.com', 'elsevier.com', 'ieee.org', 'acm.org', 'poste.it', 'inps.it',
      'regione.toscana.it', 'comune.pisa.it', 'aruba.it', 'tim.it', 'fastweb.it', 'arxiv.org', 'github.com',
    ];
    this.peers = [...fwdPeers];
    for (const d of otherDomains) {
      this.peers.push({ host: `mx.${d}`, ip: ipOf(rng, [130, 131, 137, 140, 141, 150, 151, 192, 193, 194, 212, 213]), domain: d, kind: 'other' });
    }

    this.senders = [];
    const big = [
      ['mail-wm1-f%d.google.com', '209.85.128.%d', 'gmail.com'],
      ['mail-ej1-f%d.google.com', '209.85.218.%d', 'gmail.com'],
      ['mail-eur05on20%d.outbound.protection.outlook.com', '40.107.21.%d', 'outlook.com'],
      ['mail-am6eur05on20%d.outbound.protection.outlook.com', '40.107.22.%d', 'hotmail.com'],
      ['sonic3%d-21.consmr.mail.ir2.yahoo.com', '77.238.176.%d', 'yahoo.it'],
    ] as const;
    for (const [h, ip, d] of big) {
      for (let k = 0; k < 12; k++) {
        const n = rng.intRange(10, 250);
        const host = h.replace('%d', String(n));
        this.senders.push({ host, ip: ip.replace('%d', String(n)), helo: host, domain: d, whitelisted: true });
      }
    }
    for (const p of this.peers.slice(fwdPeers.length)) {
      const host = `smtp.${p.domain}`;
      this.senders.push({ host, ip: ipOf(rng, [130, 131, 137, 140, 141, 150, 151, 192, 193, 194]), helo: host, domain: p.domain, whitelisted: false });
    }
    const esp = ['mailchimpapp.net', 'sendgrid.net', 'amazonses.com', 'mailgun.org', 'sparkpostmail.com', 'mktomail.com'];
    for (const d of esp) {
      for (let k = 0; k < 6; k++) {
        const host = `o${rng.intRange(1, 99)}.${rng.pick(['mail', 'out', 'smtp'])}${rng.intRange(1, 40)}.${d}`;
        this.senders.push({ host, ip: ipOf(rng, [54, 149, 167, 168, 198, 205]), helo: host, domain: d, whitelisted: false });
      }
    }
  }

  /** A mailbox user, heavy users more likely (for IMAP/POP logins). */
  loginUser(rng: Rng): Mailbox {
    const u = rng.next();
    return this.activeMailboxes[Math.floor(u * u * this.activeMailboxes.length)]!;
  }
}
