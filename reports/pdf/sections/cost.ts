// Section 4: cost per mailbox (investment, running, full), budget against actual and forecast,
// departments' shares, storage growth, what-if scenarios. Without the cost module's data it
// says so and shows no figure.
import type { ReportLanguage } from '../../../core/config/reports-schema';
import type { ReportModel } from '../../model/types';
import { colors, paragraph, sectionTitle, subTitle, table, type Doc } from '../layout';
import { fmtInt, fmtMoney, fmtPct } from '../format';
import { stringsFor } from '../strings';

export function cost(doc: Doc, m: ReportModel, lang: ReportLanguage): void {
  const s = stringsFor(lang);
  doc.addPage();
  sectionTitle(doc, `4. ${s.cost}`);
  const c = m.cost;
  if (!c) {
    paragraph(doc, s.notAvailableYet, { bold: true, color: colors.muted });
    return;
  }
  const money = (n: number | null): string => fmtMoney(lang, n, c.currency);
  subTitle(doc, s.perMailbox);
  table(
    doc,
    [
      { header: '', width: 0.65 },
      { header: c.currency, width: 0.35, align: 'right' },
    ],
    [
      [s.mailboxes, fmtInt(lang, c.mailboxes)],
      [s.investment, money(c.investment_per_mailbox)],
      [s.running, money(c.running_per_mailbox_year)],
      [s.full, money(c.full_per_mailbox_year)],
      [s.perMessage, money(c.per_delivered_message)],
    ],
  );
  if (c.budget) {
    subTitle(doc, s.budgetVsActual);
    table(
      doc,
      [
        { header: s.budgeted, width: 1 / 3, align: 'right' },
        { header: s.actual, width: 1 / 3, align: 'right' },
        { header: s.forecast, width: 1 / 3, align: 'right' },
      ],
      [[money(c.budget.budgeted_yearly), money(c.budget.actual), money(c.budget.forecast_year)]],
    );
  }
  if (c.departments.length > 0) {
    subTitle(doc, s.departments);
    table(
      doc,
      [
        { header: s.department, width: 0.5 },
        { header: s.share, width: 0.25, align: 'right' },
        { header: c.currency, width: 0.25, align: 'right' },
      ],
      c.departments.map((d) => [d.name === 'unallocated' ? s.unallocated : d.name, fmtPct(lang, d.share), money(d.cost)]),
    );
  }
  if (c.storage.length > 0) {
    subTitle(doc, s.storage);
    const first = c.storage[0]!;
    const last = c.storage[c.storage.length - 1]!;
    // the change between the figures shown, so that it adds up on the page
    const [a, b] = [Math.round(first.gb), Math.round(last.gb)];
    const sign = b > a ? '+' : '';
    paragraph(doc, s.storageChange(fmtInt(lang, a), fmtInt(lang, b), `${sign}${fmtInt(lang, b - a)}`, first.gb > 0 ? `${sign}${fmtPct(lang, (last.gb - first.gb) / first.gb)}` : '–'));
    // a month of daily snapshots is a page a manager skips: one row a week, and the last day
    const rows = c.storage.filter((_, i) => i % 7 === 0 || i === c.storage.length - 1);
    table(
      doc,
      [
        { header: '', width: 0.5 },
        { header: 'GB', width: 0.5, align: 'right' },
      ],
      rows.map((x) => [x.label, fmtInt(lang, x.gb)]),
    );
  }
  if (c.scenarios.length > 0) {
    subTitle(doc, s.scenarios);
    table(
      doc,
      [
        { header: s.scenario, width: 0.28 },
        { header: s.mailboxes, width: 0.15, align: 'right' },
        { header: s.investment, width: 0.19, align: 'right' },
        { header: s.running, width: 0.19, align: 'right' },
        { header: s.full, width: 0.19, align: 'right' },
      ],
      c.scenarios.map((x) => [x.name, fmtInt(lang, x.mailboxes), money(x.investment_per_mailbox), money(x.running_per_mailbox_year), money(x.full_per_mailbox_year)]),
    );
  }
}
