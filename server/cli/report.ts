// `postino report --month YYYY-MM [--out FILE.pdf] [--lang it|en] [--recompute] [--mail]`:
// the monthly PDF report, written into the reports folder (model + PDF) and optionally copied.
import type { Command } from 'commander';
import { copyFileSync } from 'node:fs';
import { resolveConfig, openConfiguredDb, UsageError, type CommonOptions } from './context';
import { generateReport, checkMonth, ReportInputError } from '../../reports/generate-report';
import { mailReport } from '../../reports/delivery/mail-report';
import { reportLanguages, type ReportLanguage } from '../../core/config/reports-schema';

interface ReportOptions extends CommonOptions {
  month: string;
  out?: string;
  lang?: string;
  recompute?: boolean;
  mail?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('monthly PDF report for management (written into the reports folder)')
    .requiredOption('--month <YYYY-MM>', 'the month to report')
    .option('--out <file.pdf>', 'also write the PDF here')
    .option('--lang <it|en>', 'language (default: reports.language, it)')
    .option('--recompute', 'build the figures again from the rollups even when a final model is stored')
    .option('--mail', 'mail the PDF to reports.mail.recipients through reports.mail.smtp')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone that cuts the days')
    .action(async (opts: ReportOptions) => {
      if (opts.lang !== undefined && !(reportLanguages as readonly string[]).includes(opts.lang)) throw new UsageError(`--lang: expected it or en, got "${opts.lang}"`);
      const config = resolveConfig(opts);
      try {
        checkMonth(opts.month, config.timezone, Date.now());
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(`--${e.message}`);
        throw e;
      }
      if (opts.mail && config.reports.mail.recipients.length === 0) throw new UsageError('--mail: reports.mail.recipients is empty in the configuration');
      const db = openConfiguredDb(config);
      try {
        const r = await generateReport(db, config, opts.month, { ...(opts.lang ? { lang: opts.lang as ReportLanguage } : {}), recompute: Boolean(opts.recompute) });
        if (opts.out) {
          try {
            copyFileSync(r.pdfPath, opts.out);
          } catch (e) {
            throw new UsageError(`--out ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)} (the report is in ${r.pdfPath})`);
          }
        }
        process.stdout.write(
          `${r.pdfPath}${opts.out ? ` (copied to ${opts.out})` : ''}: ${r.model.has_data ? `${r.model.current.days_with_data} days with data` : 'no data for this month'}` +
            `${r.reused ? ', figures from the stored model' : ''}\n`,
        );
        if (opts.mail) {
          const sent = await mailReport(config.reports.mail, { month: r.model.month, lang: r.lang, pdf: r.pdf });
          process.stdout.write(`mailed to ${sent?.accepted.length ?? 0} recipient(s)${sent && sent.rejected.length ? `, refused: ${sent.rejected.length}` : ''}\n`);
        }
      } finally {
        db.close();
      }
    });
}
