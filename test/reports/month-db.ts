// A real SQLite database holding a generated month of logs (small scale), ingested by the real
// pipeline with its rollups flushed: 2026-03 in full and the last days of 2026-02.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import type { Config } from '../../core/config/schema';
import { Pipeline } from '../../collectors/pipeline';
import { generateToFile, type GenerateResult } from '../../collectors/generate/index';

export const MONTH = '2026-03';
export const GEN_START = '2026-02-24';
export const GEN_DAYS = 36;
/** 2026-04-02 12:00 UTC: the March report is final */
export const NOW_MS = Date.parse('2026-04-02T12:00:00Z');

export interface MonthDb {
  dir: string;
  db: Db;
  config: Config;
  truth: GenerateResult['truth'];
}

export async function monthDb(extra: Record<string, unknown> = {}, scale = 0.002): Promise<MonthDb> {
  const dir = mkdtempSync(join(tmpdir(), 'postino-report-'));
  const log = join(dir, 'mail.log');
  const gen = await generateToFile({ start: GEN_START, days: GEN_DAYS, scale, tz: 'Europe/Rome', seed: 16, outagePlan: 'default' }, log);
  const config = parseConfig({ database: join(dir, 'p.db'), demo: false, reports: { folder: join(dir, 'reports') }, ...extra });
  const db = openDb(config.database);
  const p = new Pipeline(db, config);
  try {
    await p.ingestFile(log, { year: 2026 });
  } finally {
    await p.close();
  }
  p.flushRollups();
  return { dir, db, config, truth: gen.truth };
}
