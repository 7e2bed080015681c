// Section 2: traffic. Daily volumes, the defense funnel, the spam rate trend, the top reject
// reasons (classes only, never addresses) and logins per protocol.
import type { ReportLanguage } from '../../../core/config/reports-schema';
import type { ReportModel } from '../../model/types';
import { chartImage, colors, paragraph, sectionTitle, subTitle, table, type Doc } from '../layout';
import { fmtInt, fmtPct } from '../format';
import { stringsFor } from '../strings';
import { renderChart } from '../../charts/render-chart';
import { dailyVolumesChart, funnelChart, loginsChart, spamRateChart } from '../../charts/report-charts';
import { CONTENT_WIDTH } from '../layout';

export function traffic(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.addPage();
  sectionTitle(doc, `2. ${s.traffic}`);
  subTitle(doc, s.dailyVolumes);
  chartImage(doc, renderChart(dailyVolumesChart(m, lang), CONTENT_WIDTH, 210), 210);

  subTitle(doc, s.funnel);
  table(
    doc,
    [
      { header: '', width: 0.55 },
      { header: s.count, width: 0.22, align: 'right' },
      { header: s.ofPrevious, width: 0.23, align: 'right' },
    ],
    m.funnel.map((f) => [s.funnelSteps[f.step], fmtInt(lang, f.n), f.of_previous === null ? '' : fmtPct(lang, f.of_previous)]),
  );
  chartImage(doc, renderChart(funnelChart(m, lang), CONTENT_WIDTH, 130), 130);

  doc.addPage();
  subTitle(doc, s.spamTrend);
  chartImage(doc, renderChart(spamRateChart(m, lang), CONTENT_WIDTH, 150), 150);

  subTitle(doc, s.topRejects);
  const rc = m.reject_classes;
  const share = (n: number): string => (rc.total === 0 ? '' : fmtPct(lang, n / rc.total));
  const rows = rc.top.map((c) => [s.rejectClass[c.reason_class] ?? c.reason_class, fmtInt(lang, c.n), share(c.n)]);
  if (rc.other_n > 0) rows.push([s.otherClasses, fmtInt(lang, rc.other_n), share(rc.other_n)]);
  table(
    doc,
    [
      { header: '', width: 0.55 },
      { header: s.count, width: 0.22, align: 'right' },
      { header: s.share, width: 0.23, align: 'right' },
    ],
    rows,
  );
  // detail rows expire (retention); the month's rollup keeps the exact total
  if (rc.total !== m.current.totals.rejected) paragraph(doc, s.rejectNote(fmtInt(lang, rc.total), fmtInt(lang, m.current.totals.rejected)), { size: 8.5, color: colors.muted });

  subTitle(doc, s.logins);
  chartImage(doc, renderChart(loginsChart(m, lang), CONTENT_WIDTH, 150), 150);
  const l = m.logins;
  paragraph(doc, s.loginLine(fmtInt(lang, l.imap), fmtInt(lang, l.pop3), fmtInt(lang, l.failures), fmtInt(lang, l.sasl_auth_failures), fmtInt(lang, l.unique_users_peak)));
}
