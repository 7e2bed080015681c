// Where users connect from, and the planted cases of compromised accounts and attacks
// (`generate --planted`), with the signals they must raise (their truth).
//
// Ordinary users log in and submit from a few addresses each, in Italy (their home line, their
// phone, a relative's): addresses in /16s that the DB-IP country file places in Italy (checked
// by test/enrich/geoip.test.ts). So the rest of the generated data raises no signal.
import { localToUnix } from '../../core/time/local-time';
import type { Rng } from './prng';
import type { Mailbox } from './world';

/** Italian consumer networks (Telecom Italia, Wind Tre, Vodafone, Fastweb, Iliad...). */
export const ITALIAN_NETS = ['151.20', '151.40', '151.65', '79.20', '79.30', '93.40', '93.56', '87.10', '87.20', '2.32', '2.40', '5.90', '5.170', '95.232', '95.250', '37.160', '37.182', '176.200', '176.246', '188.10', '188.152', '80.180', '82.48', '82.60'];

/** FNV-1a of a text: the same user gets the same addresses in every run, without the rng. */
function hash(s: string, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A user's two or three own addresses, all in Italy. */
export function ownAddresses(m: Mailbox): string[] {
  const n = 2 + (hash(m.addr, 0) % 2);
  const out: string[] = [];
  for (let k = 1; k <= n; k++) {
    const h = hash(m.addr, k);
    out.push(`${ITALIAN_NETS[h % ITALIAN_NETS.length]}.${(h >>> 8) & 255}.${1 + ((h >>> 16) % 254)}`);
  }
  return out;
}

/**
 * One of the user's own addresses: the first (home) with probability `pHome`, else another.
 * It draws from the rng exactly as the random address it replaces did (a chance, then four
 * draws on the other branch), so the rest of a generated run stays the same.
 */
export function ownIp(m: Mailbox, r: Rng, pHome: number): string {
  const a = ownAddresses(m);
  if (r.chance(pHome)) return a[0]!;
  const k = r.next();
  r.next();
  r.next();
  r.next();
  return a[1 + Math.floor(k * (a.length - 1))]!;
}

/** What the planted cases need of the generator: its line makers, with the address given. */
export interface PlantHooks {
  login(t: number, proto: 'imap' | 'pop3', ok: boolean, user: Mailbox, rip: string): void;
  submit(t: number, user: Mailbox, ip: string, recipients: number, blockedAsSpam: boolean): void;
  saslFail(t: number, ip: string): void;
}

export interface PlantedSignal {
  kind: string;
  subject: string;
}

/** The addresses of the planted attackers and travellers (their countries in the comments). */
export const PLANTED_IPS = {
  spammer: '105.112.5.9', // NG: the stolen account sends spam from abroad
  guesser: '86.120.10.5', // RO: guesses one account's IMAP password, then gets in
  smtpGuesser: '222.186.30.1', // CN: guesses SMTP AUTH passwords
  traveller: '177.10.1.1', // BR: 20 minutes after a login from Italy
} as const;

/** Local [hour, minute] of the planted accounts' ordinary logins, every day. */
const USUAL_LOGINS: Array<[number, number]> = [
  [8, 30],
  [17, 30],
];

/**
 * The planted cases' lines of one local day, as [instant, emit] pairs. The accounts are
 * mailboxes the ordinary streams never log in (inactive ones), so their history is exactly what
 * is planted here: two logins a day from home; on the last day the cases themselves.
 */
export function plantedDay(tz: string, date: string, last: boolean, accounts: Mailbox[], hooks: PlantHooks): Array<[number, (t: number) => void]> {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const at = (h: number, m: number, s = 0): number => localToUnix(tz, y, mo, d, h, m, s);
  const [spam, forced, travel] = accounts as [Mailbox, Mailbox, Mailbox];
  const out: Array<[number, (t: number) => void]> = [];
  for (const u of accounts) {
    for (const [h, m] of USUAL_LOGINS) {
      if (last && h > 9) continue; // the last day ends with the cases
      out.push([at(h, m), (t) => hooks.login(t, 'imap', true, u, ownAddresses(u)[0]!)]);
    }
  }
  if (!last) return out;
  // 1. a stolen account sends 25 messages to 12 recipients each from Nigeria in 40 minutes;
  //    Amavis blocks 8 of them as spam (ORIGINATING, score >= 6)
  for (let i = 0; i < 25; i++) out.push([at(3, 0) + i * 96, (t) => hooks.submit(t, spam, PLANTED_IPS.spammer, 12, i % 3 === 0)]);
  // 2. forty failed IMAP logins on one account from Romania, then the right password
  for (let i = 0; i < 40; i++) out.push([at(2, 0) + i * 60, (t) => hooks.login(t, 'imap', false, forced, PLANTED_IPS.guesser)]);
  out.push([at(2, 45), (t) => hooks.login(t, 'imap', true, forced, PLANTED_IPS.guesser)]);
  // 3. sixty failed SMTP AUTH attempts from one address in half an hour
  for (let i = 0; i < 30; i++) out.push([at(4, 0) + i * 60, (t) => hooks.saslFail(t, PLANTED_IPS.smtpGuesser)]);
  // 4. a login from Italy, and 20 minutes later one from Brazil
  out.push([at(10, 0), (t) => hooks.login(t, 'imap', true, travel, ownAddresses(travel)[1]!)]);
  out.push([at(10, 20), (t) => hooks.login(t, 'imap', true, travel, PLANTED_IPS.traveller)]);
  return out;
}

/** The planted accounts: the last three inactive mailboxes. */
export function plantedAccounts(mailboxes: readonly Mailbox[]): Mailbox[] {
  const inactive = mailboxes.filter((m) => !m.active);
  if (inactive.length < 3) throw new Error('generate: too few inactive mailboxes to plant cases');
  return inactive.slice(-3);
}

/** The signals the planted cases must raise, and no others. */
export function plantedSignals(accounts: Mailbox[]): PlantedSignal[] {
  const [spam, forced, travel] = accounts as [Mailbox, Mailbox, Mailbox];
  return [
    { kind: 'outbound_burst', subject: spam.addr },
    { kind: 'outbound_spam', subject: spam.addr },
    { kind: 'login_bruteforce', subject: PLANTED_IPS.guesser },
    { kind: 'login_bruteforce', subject: forced.addr },
    { kind: 'new_country', subject: forced.addr },
    { kind: 'smtp_auth_bruteforce', subject: PLANTED_IPS.smtpGuesser },
    { kind: 'new_country', subject: travel.addr },
    { kind: 'impossible_travel', subject: travel.addr },
  ];
}
