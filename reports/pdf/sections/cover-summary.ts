// Section 1: the cover and the one-page executive summary (key figures against the previous
// month and the same month last year, SLA met or missed, cost per mailbox, what changed).
import type { ReportLanguage } from '../../../core/config/reports-schema';
import type { KeyFigure, ReportModel } from '../../model/types';
import { colors, paragraph, sectionTitle, subTitle, table, PAGE, CONTENT_WIDTH, type Doc } from '../layout';
import { fmtChange, fmtInt, fmtMoney, fmtPct, fmtInstant, monthName } from '../format';
import { stringsFor } from '../strings';
import { summarySentences } from '../sentences';

export function cover(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.rect(0, 0, PAGE.width, 260).fill(colors.accent);
  doc.fillColor('#ffffff').font('bold').fontSize(30).text(s.title, PAGE.margin, 120, { width: CONTENT_WIDTH });
  doc.font('regular').fontSize(18).text(`${s.subtitle} · ${monthName(lang, m.month)}`, PAGE.margin, doc.y + 6, { width: CONTENT_WIDTH });
  doc.fillColor(colors.text);
  doc.y = 310;
  paragraph(doc, `${s.generatedAt} ${fmtInstant(m.tz, m.generated_at)} · ${s.timeZone} ${m.tz}`, { color: colors.muted });
  doc.moveDown(1);
  for (const line of m.has_data ? s.contents : [s.contents[0]!, s.contents[4]!]) paragraph(doc, line, { size: 13 });
}

function keyValue(lang: ReportLanguage, k: KeyFigure): string {
  return k.kind === 'rate' ? fmtPct(lang, k.value) : fmtInt(lang, k.value);
}

export function executiveSummary(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.addPage();
  sectionTitle(doc, `1. ${s.summary} · ${monthName(lang, m.month)}`);
  if (!m.has_data) {
    subTitle(doc, s.noDataTitle);
    paragraph(doc, s.noData(m.current.from, m.current.to));
    return;
  }
  subTitle(doc, s.keyFigures);
  const rows = m.key_figures.map((k) => {
    const unit = k.kind === 'rate' ? 'points' : 'relative';
    return [s.keyNames[k.name], keyValue(lang, k), fmtChange(lang, k.change_previous, unit), fmtChange(lang, k.change_last_year, unit)];
  });
  table(
    doc,
    [
      { header: s.figure, width: 0.43 },
      { header: s.thisMonth, width: 0.19, align: 'right' },
      { header: s.vsPrevious, width: 0.19, align: 'right' },
      { header: s.vsLastYear, width: 0.19, align: 'right' },
    ],
    rows,
  );
  paragraph(doc, s.comparisonNote, { size: 8.5, color: colors.muted });

  subTitle(doc, `SLA · ${s.perMailbox}`);
  if (m.availability) {
    // a service no host provides (no webmail configured or seen) is neither met nor missed
    const met = m.availability.services.filter((x) => x.met === true).length;
    const missed = m.availability.services.some((x) => x.met === false);
    paragraph(doc, s.slaLine(met, m.availability.services.filter((x) => x.met !== null).length, fmtPct(lang, m.availability.target, 3)), { bold: true, color: missed ? colors.bad : colors.good });
  } else {
    paragraph(doc, s.slaNotAvailable, { color: colors.muted });
  }
  if (m.cost && m.cost.full_per_mailbox_year !== null) {
    const budget = m.cost.budget?.budgeted_yearly != null && m.cost.mailboxes ? fmtMoney(lang, m.cost.budget.budgeted_yearly / m.cost.mailboxes, m.cost.currency) : null;
    paragraph(doc, s.costLine(fmtMoney(lang, m.cost.full_per_mailbox_year, m.cost.currency), budget), { bold: true });
  } else {
    paragraph(doc, s.costNotAvailable, { color: colors.muted });
  }

  subTitle(doc, s.whatChanged);
  summarySentences(m, lang).forEach((t, i) => paragraph(doc, `${i + 1}. ${t}`));
}
