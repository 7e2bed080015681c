// Generates a month's report: the stored model when there is a final one (so a past month
// gives the same figures after its detail rows have expired), else a model built from the
// rollups and stored; then the PDF in the asked language, written beside it.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { ReportLanguage } from '../core/config/reports-schema';
import { dayBounds } from '../core/time/local-time';
import { flushRollups } from '../core/rollup/rollup';
import { buildReportModel } from './model/build-model';
import { currentMonth, isMonth, monthRange } from './model/month';
import type { ReportModel } from './model/types';
import { renderReportPdf } from './pdf/render-pdf';
import { ReportStore } from './report-store';

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export interface GenerateOptions {
  lang?: ReportLanguage;
  /** build the model again from the rollups even when a final one is stored */
  recompute?: boolean;
  now?: number;
}

export interface GeneratedReport {
  model: ReportModel;
  pdf: Buffer;
  lang: ReportLanguage;
  pdfPath: string;
  modelPath: string;
  /** true when the stored model was rendered again */
  reused: boolean;
}

/**
 * A stored model is final when it was computed after its month ended and the month had data;
 * one taken mid-month, or of an empty month (logs may be loaded later), is built again.
 */
export function isFinal(model: ReportModel): boolean {
  const end = dayBounds(model.tz, monthRange(model.month).to)[1];
  return model.has_data && Date.parse(model.generated_at) >= end * 1000;
}

export function checkMonth(month: string, tz: string, nowMs: number): string {
  if (!isMonth(month)) throw new ReportInputError(`month: expected YYYY-MM, got "${month}"`);
  if (month > currentMonth(tz, nowMs)) throw new ReportInputError(`month ${month} has not started yet`);
  return month;
}

export async function generateReport(db: Db, config: Config, month: string, opts: GenerateOptions = {}): Promise<GeneratedReport> {
  const now = opts.now ?? Date.now();
  checkMonth(month, config.timezone, now);
  const lang = opts.lang ?? config.reports.language;
  const store = new ReportStore(config.reports.folder);
  const stored = opts.recompute ? null : store.readModel(month);
  let model: ReportModel;
  let reused = false;
  if (stored && stored.tz === config.timezone && isFinal(stored)) {
    model = stored;
    reused = true;
  } else {
    // hours ingested but not yet rolled up belong in the figures
    if (!db.readonly) flushRollups(db, config.timezone);
    model = buildReportModel(db, config, month, now);
  }
  const pdf = await renderReportPdf(model, lang);
  const modelPath = reused ? store.modelPath(month) : store.writeModel(model);
  const pdfPath = store.writePdf(month, lang, pdf);
  return { model, pdf, lang, pdfPath, modelPath, reused };
}
