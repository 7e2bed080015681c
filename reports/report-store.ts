// The reports folder: each month's model as YYYY-MM.json and its PDF per language as
// YYYY-MM.<lang>.pdf. Files are written to a temporary name and renamed, so a reader never
// sees half a PDF.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReportLanguage } from '../core/config/reports-schema';
import { reportLanguages } from '../core/config/reports-schema';
import { REPORT_MODEL_VERSION, type ReportModel } from './model/types';
import { isMonth } from './model/month';

export interface StoredReport {
  month: string;
  generated_at: string | null;
  has_data: boolean | null;
  /** the PDFs written, by language, with their size in bytes */
  pdfs: Array<{ lang: ReportLanguage; bytes: number }>;
}

export class ReportStore {
  readonly dir: string;
  constructor(folder: string) {
    this.dir = resolve(folder);
  }

  modelPath(month: string): string {
    return join(this.dir, `${month}.json`);
  }

  pdfPath(month: string, lang: ReportLanguage): string {
    return join(this.dir, `${month}.${lang}.pdf`);
  }

  /** The stored model of a month, or null when there is none (or it is of another version). */
  readModel(month: string): ReportModel | null {
    const p = this.modelPath(month);
    if (!existsSync(p)) return null;
    try {
      const m = JSON.parse(readFileSync(p, 'utf8')) as ReportModel;
      return m.version === REPORT_MODEL_VERSION && m.month === month ? m : null;
    } catch {
      return null;
    }
  }

  writeModel(model: ReportModel): string {
    return this.write(this.modelPath(model.month), JSON.stringify(model, null, 1) + '\n');
  }

  writePdf(month: string, lang: ReportLanguage, pdf: Buffer): string {
    return this.write(this.pdfPath(month, lang), pdf);
  }

  readPdf(month: string, lang: ReportLanguage): Buffer | null {
    const p = this.pdfPath(month, lang);
    return existsSync(p) ? readFileSync(p) : null;
  }

  /** Months with a model or a PDF, newest first. */
  list(): StoredReport[] {
    if (!existsSync(this.dir)) return [];
    const months = new Set<string>();
    for (const f of readdirSync(this.dir)) {
      const m = /^(\d{4}-\d{2})\.(json|(it|en)\.pdf)$/.exec(f);
      if (m && isMonth(m[1]!)) months.add(m[1]!);
    }
    return [...months]
      .sort()
      .reverse()
      .map((month) => {
        const model = this.readModel(month);
        const pdfs = reportLanguages.flatMap((lang) => {
          const p = this.pdfPath(month, lang);
          return existsSync(p) ? [{ lang, bytes: statSync(p).size }] : [];
        });
        return { month, generated_at: model?.generated_at ?? null, has_data: model?.has_data ?? null, pdfs };
      });
  }

  private write(path: string, data: string | Buffer): string {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    return path;
  }
}
