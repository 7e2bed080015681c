// Section 5: one short page on how each figure is counted (METRICS.md in plain words), the
// accounting rules of availability, and the data coverage of the month.
import type { ReportLanguage } from '../../../core/config/reports-schema';
import type { ReportModel } from '../../model/types';
import { bullets, paragraph, sectionTitle, subTitle, table, type Doc } from '../layout';
import { fmtInt } from '../format';
import { stringsFor } from '../strings';

/** Missing dates as ranges: 2026-03-01–2026-03-04, 2026-03-09. */
function dateRanges(dates: string[]): string {
  const out: string[] = [];
  let first = dates[0];
  let last = dates[0];
  const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const d of dates.slice(1).concat([''])) {
    if (last !== undefined && d === next(last)) {
      last = d;
      continue;
    }
    if (first !== undefined) out.push(first === last ? first : `${first} – ${last}`);
    first = d;
    last = d;
  }
  return out.join(', ');
}

export function method(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.addPage();
  sectionTitle(doc, `5. ${s.method}`);
  bullets(doc, s.methodItems);
  subTitle(doc, s.availability);
  bullets(doc, s.availabilityRules);
  subTitle(doc, s.coverage);
  const c = m.coverage;
  paragraph(doc, s.coverageLine(c.days_with_data, c.days));
  if (c.missing_dates.length > 0) paragraph(doc, s.missingDays(dateRanges(c.missing_dates)));
  paragraph(doc, s.unparsedLine(fmtInt(lang, c.unparsed_total), fmtInt(lang, c.lines_total)));
  if (c.unparsed_by_program.length > 0)
    table(
      doc,
      [
        { header: s.program, width: 0.6 },
        { header: s.count, width: 0.4, align: 'right' },
      ],
      c.unparsed_by_program.map((p) => [p.program, fmtInt(lang, p.n)]),
    );
}
