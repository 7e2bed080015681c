// Section 3: availability of each service against the target, error budget used, incidents and
// maintenance windows. Without the SLA module's data it says so and shows no figure.
import type { ReportLanguage } from '../../../core/config/reports-schema';
import type { ReportModel } from '../../model/types';
import { colors, paragraph, sectionTitle, subTitle, table, type Doc } from '../layout';
import { fmtAvailability, fmtDuration, fmtInstant, fmtPct } from '../format';
import { stringsFor } from '../strings';

const MAX_INCIDENT_ROWS = 12;

export function availability(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.addPage();
  sectionTitle(doc, `3. ${s.availability}`);
  const a = m.availability;
  if (!a) {
    paragraph(doc, s.notAvailableYet, { bold: true, color: colors.muted });
    return;
  }
  table(
    doc,
    [
      { header: s.service, width: 0.22 },
      { header: s.availabilityCol, width: 0.2, align: 'right' },
      { header: s.downtime, width: 0.2, align: 'right' },
      { header: s.budgetUsed, width: 0.19, align: 'right' },
      { header: s.status, width: 0.19, align: 'center' },
    ],
    a.services.map((x) => [x.service, fmtAvailability(lang, x.availability), fmtDuration(lang, x.downtime_s), fmtPct(lang, x.budget_used), x.met === null ? s.notAvailable : x.met ? s.met : s.missed]),
    (row, col) => {
      const met = a.services[row]!.met;
      return col === 4 && met !== null ? { bold: true, color: met ? colors.good : colors.bad } : undefined;
    },
  );
  paragraph(doc, `${s.target} ${fmtPct(lang, a.target, 3)}`, { size: 8.5, color: colors.muted });

  subTitle(doc, s.incidents);
  // The longest incidents, in time order: a month of short blips would fill pages a manager skips.
  const shown = [...a.incidents].sort((x, y) => (y.duration_s ?? Infinity) - (x.duration_s ?? Infinity)).slice(0, MAX_INCIDENT_ROWS);
  shown.sort((x, y) => x.start.localeCompare(y.start));
  if (a.incidents.length === 0) paragraph(doc, s.noIncidents);
  else {
    if (shown.length < a.incidents.length) paragraph(doc, s.moreIncidents(shown.length, a.incidents.length), { color: colors.muted });
    table(
      doc,
      [
        { header: s.start, width: 0.24 },
        { header: s.duration, width: 0.16, align: 'right' },
        { header: s.service, width: 0.18 },
        { header: s.cause, width: 0.42 },
      ],
      shown.map((i) => [fmtInstant(m.tz, i.start), fmtDuration(lang, i.duration_s), i.service, s.causes[i.cause] ?? i.cause]),
    );
  }
  // after the list (or its absence): the outages that interrupted no service, counted only
  if (a.host_only_incidents > 0) paragraph(doc, s.hostOnlyIncidents(a.host_only_incidents), { color: colors.muted });

  subTitle(doc, s.maintenance);
  if (a.maintenance.length === 0) paragraph(doc, s.noMaintenance);
  else
    table(
      doc,
      [
        { header: s.from, width: 0.22 },
        { header: s.to, width: 0.22 },
        { header: s.service, width: 0.22 },
        { header: s.note, width: 0.34 },
      ],
      a.maintenance.map((x) => [fmtInstant(m.tz, x.from), fmtInstant(m.tz, x.to), x.services.join(', ') || '*', x.note]),
    );
}
