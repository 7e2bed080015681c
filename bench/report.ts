// `npx tsx bench/report.ts [--scale 1]`: time to generate a month's report (model + PDF) at a
// given scale (1 = the seed: 1,000,000 connections and 16,000 deliveries a day). The report
// reads the day rollups and the month's reject rows (for the reason classes), so the month is
// built from one generated and ingested day: its day rollup copied to every day of March and
// February 2026, its reject rows copied to every day of March. Prints figures; asserts nothing.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateToFile } from '../collectors/generate/index';
import { Pipeline } from '../collectors/pipeline';
import { openDb } from '../core/db/open';
import { parseConfig } from '../core/config/load';
import { datesBetween } from '../core/time/local-time';
import { buildReportModel } from '../reports/model/build-model';
import { renderReportPdf } from '../reports/pdf/render-pdf';
import { generateReport } from '../reports/generate-report';

const arg = process.argv.indexOf('--scale');
const scale = Number(arg > 0 ? process.argv[arg + 1] : (process.env.BENCH_SCALE ?? '1'));
const DAY = '2026-03-10';
const dir = join(process.cwd(), 'bench-data', `report-scale${scale}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const log = join(process.cwd(), 'bench-data', `report-day-scale${scale}.log`);

if (!existsSync(log)) {
  process.stdout.write(`generating a day at scale ${scale} ...\n`);
  await generateToFile({ start: DAY, days: 1, scale, tz: 'Europe/Rome', seed: 42, outagePlan: 'default' }, log);
}
const config = parseConfig({ database: join(dir, 'p.db'), demo: false, reports: { folder: join(dir, 'reports') } });
const db = openDb(config.database);
const p = new Pipeline(db, config);
let t = Date.now();
await p.ingestFile(log, { year: 2026 });
await p.close();
p.flushRollups();
process.stdout.write(`ingested one day in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

// a month of what the report reads, from that day
const day = (db.prepare(`SELECT figures FROM rollup_day WHERE tz = ? AND date = ?`).get(config.timezone, DAY) as { figures: string }).figures;
const putDay = db.prepare(`INSERT OR REPLACE INTO rollup_day (tz, date, figures, computed_at) VALUES (?, ?, ?, 0)`);
const cols = 'host, service, action, qid, message_row, stage, client_ip, client_host, helo, sender, recipient, code, enhanced, reason_class, reply, greylist';
const copyRejects = db.prepare(`INSERT INTO rejects (at, ${cols}) SELECT at + ?, ${cols} FROM rejects WHERE at >= ? AND at < ?`);
const [d0, d1] = [Date.parse(`${DAY}T00:00:00+01:00`) / 1000, Date.parse(`${DAY}T00:00:00+01:00`) / 1000 + 86400];
db.transaction(() => {
  for (const date of [...datesBetween('2026-02-01', '2026-02-28'), ...datesBetween('2026-03-01', '2026-03-31')]) if (date !== DAY) putDay.run(config.timezone, date, day);
  for (let k = -9; k <= 21; k++) if (k !== 0) copyRejects.run(k * 86400, d0, d1);
})();
const rejects = (db.prepare(`SELECT count(*) AS n FROM rejects`).get() as { n: number }).n;
process.stdout.write(`month built: ${rejects.toLocaleString('en-US')} reject rows in March\n`);

const now = Date.parse('2026-04-01T05:00:00Z');
for (let run = 1; run <= 3; run++) {
  t = performance.now();
  const model = buildReportModel(db, config, '2026-03', now);
  const tModel = performance.now() - t;
  t = performance.now();
  const pdf = await renderReportPdf(model, 'it');
  const tPdf = performance.now() - t;
  t = performance.now();
  await generateReport(db, config, '2026-03', { now, recompute: true });
  const tAll = performance.now() - t;
  process.stdout.write(
    `run ${run}: model ${(tModel / 1000).toFixed(2)} s, PDF ${(tPdf / 1000).toFixed(2)} s (${Math.round(pdf.length / 1024)} KB), generateReport (both + files) ${(tAll / 1000).toFixed(2)} s\n`,
  );
}
db.close();
