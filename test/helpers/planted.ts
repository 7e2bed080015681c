// A generated run with the planted cases (3 days, small scale), ingested through the real
import { expect } from 'vitest';
// pipeline into a temporary database; detection over it with a one-day learning period.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToFile } from '../../collectors/generate/index';
import type { PlantedSignal } from '../../collectors/generate/accounts';
import { openDb, type Db } from '../../core/db/open';
import { Pipeline } from '../../collectors/pipeline';
import { testConfig } from './env';
import { tempDir } from './cli';
import type { Config } from '../../core/config/schema';

export const PLANTED_START = '2026-03-02';
export const PLANTED_END = '2026-03-04';

export interface PlantedRun {
  dir: string;
  db: Db;
  config: Config;
  log: string;
  truth: { days: Array<Record<string, number | string>>; signals: PlantedSignal[] };
}

export async function plantedRun(extra: Record<string, unknown> = {}): Promise<PlantedRun> {
  const dir = tempDir('postino-planted-');
  const log = join(dir, 'mail.log');
  const res = await generateToFile({ start: PLANTED_START, days: 3, scale: 0.02, tz: 'Europe/Rome', seed: 3, planted: true }, log);
  const config = testConfig(join(dir, 'p.db'), { signals: { learning_days: 1 }, ...extra });
  const db = openDb(join(dir, 'p.db'));
  const p = new Pipeline(db, config);
  await p.ingestFile(log, { year: 2026 });
  p.flushRollups();
  expect(readFileSync(log, 'utf8').length).toBeGreaterThan(0);
  return { dir, db, config, log, truth: res.truth as PlantedRun['truth'] };
}
