// Demo bootstrap for a fresh machine: with no sources configured and an empty database,
// generate the last 35 days up to yesterday plus today so far, ingest them, and keep
// releasing today's remaining lines as the clock passes them, so the wall moves.
import { appendFileSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { Pipeline } from '../collectors/pipeline';
import { generate, generateToFile } from '../collectors/generate/index';
import { writeQuotaSnapshots } from '../collectors/generate/quota-snapshots';
import { DEPARTMENTS } from '../collectors/generate/world';
import { parseDoveadmQuota, storeSnapshot } from '../cost/quota-import';
import { localDate, localToUnix, shiftDate } from '../core/time/local-time';
import { hashPassword, randomPassword, randomToken } from './http/passwords';
import { detectRecent } from './signals-job';
import { generateReport } from '../reports/generate-report';
import { lastMonth } from '../reports/model/month';

/** 1 = the seed's day (about 4.9 M lines). 0.01 ≈ 50 k lines a day: 36 days (1.6 M lines) generate and ingest in about 20 s on 2 cores. */
export const DEMO_SCALE = Number(process.env.POSTINO_DEMO_SCALE ?? '0.01');
export const DEMO_HISTORY_DAYS = 35;
const SEED = 2013;

/** A database that holds the demo and nothing else (the demo feed resumes after a restart). */
export function isDemoDb(db: Db, config: Config): boolean {
  if (!config.demo || config.sources.length > 0 || config.journal) return false;
  const paths = (db.prepare(`SELECT path FROM sources`).all() as Array<{ path: string }>).map((r) => r.path);
  return paths.length > 0 && paths.every((p) => /demo-(history|today)\.log$/.test(p));
}

export function needsDemo(db: Db, config: Config): boolean {
  if (!config.demo || config.sources.length > 0 || config.journal) return false;
  const has = (table: string): boolean => db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
  return !has('sources') && !has('messages') && !has('connections');
}

export interface DemoLogin {
  name: string;
  role: 'admin' | 'operator' | 'manager';
  password: string;
}

/**
 * The generated university's departments (by the mail domains the generator gives them), for
 * the cost page and the report, when the config names none; the central unipi.it mailboxes stay
 * unallocated.
 */
export function demoDepartments(config: Config): Config {
  if (config.budget.departments.length > 0) return config;
  return { ...config, budget: { ...config.budget, departments: DEPARTMENTS.map((d) => ({ name: d.name, domains: [d.domain], patterns: [] })) } };
}

/** In-memory users with random passwords (printed once) and a wall token, for a config without users. */
export function demoCredentials(config: Config): { config: Config; logins: DemoLogin[]; wallToken: string } {
  const logins: DemoLogin[] = (['admin', 'operator', 'manager'] as const).map((role) => ({ name: role, role, password: randomPassword() }));
  const wallToken = randomToken();
  return {
    config: {
      ...config,
      users: [...config.users, ...logins.map((l) => ({ name: l.name, role: l.role, password: hashPassword(l.password) }))],
      server: { ...config.server, wall_tokens: [...config.server.wall_tokens, wallToken] },
    },
    logins,
    wallToken,
  };
}


const MONTHS: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const STAMP = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)/;

/** Unix seconds of a traditional syslog stamp in `tz` (year given). */
export function stampTime(line: string, tz: string, year: number): number | null {
  const m = STAMP.exec(line);
  if (!m) return null;
  return localToUnix(tz, year, MONTHS[m[1]!] ?? 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

export class DemoFeed {
  private pending: Array<{ at: number; line: string }> = [];
  private day = '';
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  readonly historyPath: string;
  readonly todayPath: string;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly config: Config,
    dir: string,
    private readonly now: () => number = Date.now,
    private readonly scale = DEMO_SCALE,
  ) {
    this.historyPath = join(dir, 'demo-history.log');
    this.todayPath = join(dir, 'demo-today.log');
  }

  /** Generates and ingests the history and today so far. */
  async bootstrap(progress: (m: string) => void = () => {}): Promise<{ lines: number; seconds: number }> {
    const t0 = Date.now();
    const tz = this.config.timezone;
    const today = localDate(tz, Math.floor(this.now() / 1000));
    const start = shiftDate(today, -DEMO_HISTORY_DAYS);
    progress(`generating ${DEMO_HISTORY_DAYS} days of demo logs (${start} to ${shiftDate(today, -1)}, scale ${this.scale})`);
    // the SLA plan's outages (an MX's Postfix, a mailbox server's Dovecot, an MX's Amavis) a week
    // ago: inside the pages' default 30 days
    const hist = await generateToFile({ start, days: DEMO_HISTORY_DAYS, scale: this.scale, tz, seed: SEED, outagePlan: 'sla', outageDay: DEMO_HISTORY_DAYS - 7, planted: true }, this.historyPath);
    await this.prepareDay(today);
    writeFileSync(this.todayPath, '');
    progress(`ingesting ${hist.lines.toLocaleString('en-US')} lines`);
    await this.pipeline.ingestFile(this.historyPath, { year: Number(start.slice(0, 4)) });
    const released = await this.release();
    this.importQuotaSnapshots(start);
    this.pipeline.flushRollups();
    // the planted cases (yesterday) are on the signals page from the start
    detectRecent(this.pipeline.db, this.config, this.now(), DEMO_HISTORY_DAYS + 1);
    // and last month's report on the reports page, as the scheduled job would have written it
    const month = lastMonth(this.config.timezone, this.now());
    try {
      await generateReport(this.pipeline.db, this.config, month, { now: this.now() });
      progress(`wrote the monthly report of ${month}`);
    } catch (e) {
      progress(`no monthly report of ${month}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { lines: hist.lines + released, seconds: (Date.now() - t0) / 1000 };
  }

  /**
   * The demo's mailboxes as `doveadm quota get -A` would list them each day of the history (the
   * same users as the logs: same seed and scale), imported as a site's nightly job would.
   */
  private importQuotaSnapshots(start: string): void {
    const dir = join(dirname(this.historyPath), 'demo-quota');
    const truth = writeQuotaSnapshots({ start, days: DEMO_HISTORY_DAYS, scale: this.scale, seed: SEED }, dir);
    for (const d of truth.days) storeSnapshot(this.pipeline.db, d.date, parseDoveadmQuota(readFileSync(join(dir, d.file), 'utf8')));
  }

  /** After a restart on a demo database: carry on releasing today's lines where the file stops. */
  async resume(): Promise<void> {
    const tz = this.config.timezone;
    const today = localDate(tz, Math.floor(this.now() / 1000));
    await this.prepareDay(today);
    let have: string[] = [];
    try {
      have = readFileSync(this.todayPath, 'utf8').split('\n').filter(Boolean);
    } catch {
      /* no file yet */
    }
    const year = Number(today.slice(0, 4));
    const first = have.length ? stampTime(have[0]!, tz, year) : null;
    if (first !== null && localDate(tz, first) === today) this.pending.splice(0, have.length);
    await this.release();
  }

  private async prepareDay(date: string): Promise<void> {
    const tz = this.config.timezone;
    const year = Number(date.slice(0, 4));
    const lines: Array<{ at: number; line: string }> = [];
    // the history's users (same world seed), another day's traffic
    await generate({ start: date, days: 1, scale: this.scale, tz, seed: SEED, trafficSeed: SEED + Number(date.replaceAll('-', '')), outagePlan: 'none' }, (line) => {
      const at = stampTime(line, tz, year);
      if (at !== null) lines.push({ at, line });
    });
    this.pending = lines;
    this.day = date;
  }

  /** Appends the lines whose time has come to today's file and ingests them. */
  async release(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      const nowS = Math.floor(this.now() / 1000);
      const today = localDate(this.config.timezone, nowS);
      if (today !== this.day && this.pending.length === 0) await this.prepareDay(today);
      let n = 0;
      while (n < this.pending.length && this.pending[n]!.at <= nowS) n++;
      if (n === 0) return 0;
      const due = this.pending.splice(0, n);
      appendFileSync(this.todayPath, due.map((d) => d.line).join('\n') + '\n');
      await this.pipeline.ingestFile(this.todayPath, { year: Number(this.day.slice(0, 4)) });
      return n;
    } finally {
      this.busy = false;
    }
  }

  start(intervalMs = 5000): void {
    this.timer = setInterval(() => void this.release().catch((e) => process.stderr.write(`postino: demo feed: ${(e as Error).message}\n`)), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
