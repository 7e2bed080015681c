// The monthly report of a generated month (2026-03, small scale, ingested by the real pipeline
// into a real SQLite file): the model's figures against the rollups, the PDF's pages and text
// read back with pdftotext, pages turned into PNG with pdftoppm (kept for a human to look at),
// a month with no data, and a past month generated again from its stored model.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monthDb, MONTH, NOW_MS, type MonthDb } from './month-db';
import { buildReportModel } from '../../reports/model/build-model';
import { generateReport } from '../../reports/generate-report';
import { renderReportPdf } from '../../reports/pdf/render-pdf';
import { ReportStore } from '../../reports/report-store';
import { figureNames, spamRate, type Figures } from '../../core/rollup/figures';
import { dayBounds } from '../../core/time/local-time';
import type { ReportModel } from '../../reports/model/types';
import { computeCost } from '../../cost/index';
import { computeSla } from '../../sla/index';

let env: MonthDb;

/** Every stored day rollup of a month, read straight from rollup_day. */
function storedDays(month: string): Array<{ date: string } & Figures> {
  return (
    env.db.prepare(`SELECT date, figures FROM rollup_day WHERE tz = 'Europe/Rome' AND date LIKE ? ORDER BY date`).all(`${month}-%`) as Array<{ date: string; figures: string }>
  ).map((r) => ({ date: r.date, ...(JSON.parse(r.figures) as Figures) }));
}

function pdftotext(pdf: string): string {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

function pages(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

function images(pdf: string): number {
  // rows after the two header lines; an image's alpha channel is a row of type smask
  const rows = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return rows.filter((r) => r.trim().split(/\s+/)[2] === 'image').length;
}

const it_ = (n: number): string => new Intl.NumberFormat('it-IT', { useGrouping: 'always' } as Intl.NumberFormatOptions).format(n);

beforeAll(async () => {
  env = await monthDb();
}, 180_000);

describe('report model', () => {
  let model: ReportModel;
  beforeAll(() => {
    model = buildReportModel(env.db, env.config, MONTH, NOW_MS);
  });

  it('sums the month from the day rollups, unique users as the busiest day', () => {
    const days = storedDays(MONTH);
    expect(days).toHaveLength(31);
    for (const n of figureNames) {
      const want = n === 'unique_users' ? Math.max(...days.map((d) => d[n])) : days.reduce((s, d) => s + d[n], 0);
      expect(model.current.totals[n], n).toBe(want);
    }
    expect(model.current.totals.delivered).toBeGreaterThan(500);
    expect(model.current.days_with_data).toBe(31);
    expect(model.coverage.missing_dates).toEqual([]);
    expect(model.current.spam_rate).toBeCloseTo(spamRate(model.current.totals)!, 12);
  });

  it('carries each day of the rollups in its series, and the funnel of the month', () => {
    const days = storedDays(MONTH);
    expect(model.daily.map((d) => d.date)).toEqual(days.map((d) => d.date));
    model.daily.forEach((d, i) => {
      const r = days[i]!;
      expect(d).toMatchObject({ delivered: r.delivered, spam_tagged: r.spam_tagged, blocked: r.spam_blocked + r.virus_blocked, rejected: r.rejected, imap_logins: r.imap_logins, pop3_logins: r.pop3_logins });
    });
    const t = model.current.totals;
    expect(model.funnel.map((f) => f.n)).toEqual([t.connections, t.connections_passed, t.received, t.clean + t.spam_tagged, t.delivered]);
    expect(model.funnel[4]!.of_previous).toBeCloseTo(t.delivered / (t.clean + t.spam_tagged), 12);
  });

  it('compares daily averages with the previous month (partial: 5 days of February) and finds no last year', () => {
    const feb = storedDays('2026-02').filter((d) => figureNames.some((n) => d[n] !== 0));
    expect(feb.map((d) => d.date)).toEqual(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28']);
    expect(model.previous.days_with_data).toBe(5);
    const delivered = model.key_figures.find((k) => k.name === 'delivered')!;
    const febDelivered = feb.reduce((s, d) => s + d.delivered, 0);
    expect(delivered.previous).toBe(febDelivered);
    expect(delivered.change_previous).toBeCloseTo(model.current.totals.delivered / 31 / (febDelivered / 5) - 1, 12);
    expect(delivered.last_year).toBeNull();
    expect(delivered.change_last_year).toBeNull();
    const spam = model.key_figures.find((k) => k.name === 'spam_rate')!;
    expect(spam.change_previous).toBeCloseTo(model.current.spam_rate! - model.previous.spam_rate!, 12);
  });

  it('counts reject reasons by class over the same lines as the rollup, and names no address', () => {
    const [start] = dayBounds('Europe/Rome', '2026-03-01');
    const [, end] = dayBounds('Europe/Rome', '2026-03-31');
    const n = (env.db.prepare(`SELECT count(*) AS n FROM rejects WHERE at >= ? AND at < ? AND action IN ('reject','milter-reject')`).get(start, end) as { n: number }).n;
    expect(model.reject_classes.total).toBe(n);
    expect(model.reject_classes.total).toBe(model.current.totals.rejected);
    expect(model.reject_classes.top.length).toBeGreaterThan(1);
    const json = JSON.stringify(model);
    expect(json).not.toMatch(/@/);
    expect(json).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });

  it('has the availability of computeSla and the cost figures of computeCost for the month', () => {
    const sla = computeSla(env.db, env.config, { from: `${MONTH}-01`, to: `${MONTH}-31` }, NOW_MS);
    expect(model.availability?.services.map((s) => [s.service, s.availability, s.downtime_s])).toEqual(sla.services.map((s) => [s.service, s.availability, s.downtime_s]));
    const serviceDown = sla.incidents.filter((i) => i.service_downtime_s > 0);
    expect(model.availability?.incidents).toHaveLength(serviceDown.length);
    expect(model.availability?.host_only_incidents).toBe(sla.incidents.length - serviceDown.length);
    const c = computeCost(env.db, env.config, { from: `${MONTH}-01`, to: `${MONTH}-31` });
    expect(c.mailboxes).toBeGreaterThan(0);
    expect(model.cost?.mailboxes).toBe(c.mailboxes);
    expect(model.cost?.investment_per_mailbox).toBe(c.investment_per_mailbox);
    expect(model.cost?.full_per_mailbox_year).toBe(c.full_per_mailbox_year);
    expect(model.cost?.budget?.forecast_year).toBe(c.budget.forecast_year);
    expect(model.cost?.departments.map((d) => d.name)).toEqual(c.departments.map((d) => d.department));
  });
});

describe('report PDF', () => {
  it('renders the Italian report: A4, the five sections, key figures, fonts embedded; pages kept as PNG', async () => {
    const r = await generateReport(env.db, env.config, MONTH, { now: NOW_MS });
    expect(r.reused).toBe(false);
    const info = execFileSync('pdfinfo', [r.pdfPath], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(pages(r.pdfPath)).toBe(7);
    expect(execFileSync('pdffonts', [r.pdfPath], { encoding: 'utf8' })).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    // four charts: daily volumes, funnel, spam rate, logins
    expect(images(r.pdfPath)).toBe(4);
    const text = pdftotext(r.pdfPath);
    for (const heading of ['Rapporto mensile · marzo 2026', '1. Sintesi', '2. Traffico', '3. Disponibilità', '4. Costi', '5. Metodo e copertura dei dati', 'Cosa è cambiato', 'Principali motivi di rifiuto']) expect(text).toContain(heading);
    expect(text).toContain(it_(r.model.current.totals.delivered));
    expect(text).toContain(it_(r.model.current.totals.connections));
    expect(text).toContain('Giorni con dati: 31 su 31.');
    expect(text).not.toContain('non sono ancora disponibili');
    expect(text).toContain(it_(r.model.cost!.mailboxes!));
    const measured = r.model.availability!.services.filter((x) => x.met !== null);
    expect(text).toContain(`Disponibilità: ${measured.filter((x) => x.met).length} servizi su ${measured.length} hanno rispettato l'obiettivo`);
    expect(text).toMatch(/Pagina 7 di 7/);
    expect(text).not.toMatch(/@/);
    expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);

    const out = process.env.REPORT_PAGES_DIR ?? join(env.dir, 'pages');
    mkdirSync(out, { recursive: true });
    execFileSync('pdftoppm', ['-r', '70', '-png', r.pdfPath, join(out, 'it')]);
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(7);
    writeFileSync(join(env.dir, 'PAGES'), out + '\n');
    process.stdout.write(`report pages as PNG: ${out}\n`);
  }, 60_000);

  it('renders in English from the same stored model', async () => {
    const r = await generateReport(env.db, env.config, MONTH, { now: NOW_MS, lang: 'en' });
    expect(r.reused).toBe(true);
    const text = pdftotext(r.pdfPath);
    for (const heading of ['Monthly report · March 2026', '1. Summary', '2. Traffic', '3. Availability', '4. Cost', '5. Method and data coverage', 'What changed']) expect(text).toContain(heading);
    expect(text).toContain(new Intl.NumberFormat('en-GB').format(r.model.current.totals.connections));
  }, 60_000);

  it('lists the incidents that interrupted a service, and counts the single-host ones after them', async () => {
    const { model } = await generateReport(env.db, env.config, MONTH, { now: NOW_MS, lang: 'en' });
    const a = model.availability!;
    const incident = { service: 'mailbox', start: '2026-03-10T13:00:00.000Z', end: '2026-03-10T13:06:00.000Z', duration_s: 360, cause: 'daemon-stop' };
    for (const hostOnly of [0, 1, 3]) {
      const pdf = join(env.dir, `incidents-${hostOnly}.pdf`);
      writeFileSync(pdf, await renderReportPdf({ ...model, availability: { ...a, incidents: [incident], host_only_incidents: hostOnly } }, 'en'));
      const text = pdftotext(pdf).replace(/\s+/g, ' ');
      expect(text).toMatch(/2026-03-10 14:00 6 min 0 s mailbox daemon stopped/);
      expect(text).not.toContain('No incident');
      if (hostOnly === 0) expect(text).not.toContain('single host');
      if (hostOnly === 1) expect(text).toContain('1 outage of a single host did not interrupt the service');
      if (hostOnly === 3) expect(text).toContain('3 outages of single hosts did not interrupt the service');
    }
  }, 60_000);

  it('sums up the storage of the month in a line and one row a week', async () => {
    const { model } = await generateReport(env.db, env.config, MONTH, { now: NOW_MS, lang: 'en' });
    const storage = Array.from({ length: 31 }, (_, i) => ({ label: `2026-03-${String(i + 1).padStart(2, '0')}`, gb: 1000 + i * 10.4 }));
    const pdf = join(env.dir, 'storage.pdf');
    writeFileSync(pdf, await renderReportPdf({ ...model, cost: { ...model.cost!, storage } }, 'en'));
    const text = pdftotext(pdf).replace(/\s+/g, ' ');
    // 1,000 GB on the 1st, 1,312 GB on the 31st: the change between the figures shown
    expect(text).toContain('From 1,000 GB to 1,312 GB over the month (+312 GB, +31.2%); one row a week.');
    const rows = [...text.matchAll(/2026-03-(\d\d) (\d[\d,]*)/g)].map((m) => m[1]);
    expect(rows).toEqual(['01', '08', '15', '22', '29', '31']);
  }, 60_000);

  it('gives a short report for a month with no data: says so, no chart, no error', async () => {
    const r = await generateReport(env.db, env.config, '2025-06', { now: NOW_MS });
    expect(r.model.has_data).toBe(false);
    expect(pages(r.pdfPath)).toBe(3);
    expect(images(r.pdfPath)).toBe(0);
    const text = pdftotext(r.pdfPath);
    expect(text).toContain('Nessun dato per questo mese');
    expect(text).toContain('Giorni con dati: 0 su 30.');
    expect(text).not.toContain('2. Traffico');
  }, 60_000);

  it('generates a past month again with the same figures after its detail rows and rollups are gone', async () => {
    const store = new ReportStore(env.config.reports.folder);
    const before = store.readModel(MONTH)!;
    const textBefore = pdftotext(store.pdfPath(MONTH, 'it'));
    const imagesBefore = images(store.pdfPath(MONTH, 'it'));
    env.db.exec(
      `DELETE FROM rollup_day; DELETE FROM rollup_hour; DELETE FROM rejects; DELETE FROM deliveries; DELETE FROM verdicts; DELETE FROM logins;
       DELETE FROM message_line_groups; DELETE FROM messages; DELETE FROM connection_tally; DELETE FROM connections; DELETE FROM auth_failures`,
    );
    const again = await generateReport(env.db, env.config, MONTH, { now: NOW_MS + 86_400_000 });
    expect(again.reused).toBe(true);
    expect(again.model).toEqual(before);
    expect(pdftotext(again.pdfPath)).toBe(textBefore);
    // the same pages and charts; the charts' pixels are not compared (the canvas's anti-aliasing
    // may differ in a few pixels from one drawing to the next)
    expect(pages(again.pdfPath)).toBe(7);
    expect(images(again.pdfPath)).toBe(imagesBefore);
    // --recompute reads the (now emptied) rollups again
    const fresh = await generateReport(env.db, env.config, MONTH, { now: NOW_MS, recompute: true });
    expect(fresh.reused).toBe(false);
    expect(fresh.model.has_data).toBe(false);
    expect(fresh.model.current.totals.delivered).toBe(0);
  }, 60_000);
});
