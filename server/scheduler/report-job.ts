// The scheduled monthly report: on reports.schedule (default the 1st at 06:00 in
// config.timezone) it writes last month's report into the reports folder and mails it when
// recipients are configured.
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { generateReport } from '../../reports/generate-report';
import { lastMonth } from '../../reports/model/month';
import { mailReport } from '../../reports/delivery/mail-report';
import type { Job } from './scheduler';

export function reportJobs(deps: { db: Db; config: Config; now?: () => number; log?: (m: string) => void }): Job[] {
  const { db, config } = deps;
  if (!config.reports.scheduled) return [];
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string) => process.stderr.write(m + '\n'));
  return [
    {
      name: 'monthly-report',
      schedule: config.reports.schedule,
      run: async () => {
        const month = lastMonth(config.timezone, now());
        const r = await generateReport(db, config, month, { now: now() });
        log(`postino: monthly report ${month} written to ${r.pdfPath}`);
        const sent = await mailReport(config.reports.mail, { month, lang: r.lang, pdf: r.pdf });
        if (sent) log(`postino: monthly report ${month} mailed to ${sent.accepted.length} recipient(s)${sent.rejected.length ? `, refused by the relay: ${sent.rejected.length}` : ''}`);
      },
    },
  ];
}
