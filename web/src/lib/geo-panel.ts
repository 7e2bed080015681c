// Country figures for the overview (table + chart) and the wall (top countries): countries and
// counts only. The DB-IP licence asks for its credit wherever its countries are shown.
import type { ChartConfiguration } from 'chart.js';
import { el } from './dom';
import { formatCompact } from './format';

export interface CountryRow {
  country: string;
  connections: number;
  passed: number;
  logins: { imap: number; pop3: number };
  login_failures: { imap: number; pop3: number };
  smtp_auth_failures: number;
  submissions: number;
}

/** Top countries by connections, stacked: passed to smtpd and stopped by postscreen. */
/** `fontPx`: the text size (the wall's follows the screen's height, see wallFontPx); default chart.js's. */
export function countriesChart(rows: Array<Pick<CountryRow, 'country' | 'connections' | 'passed'>>, n = 12, dark = false, fontPx?: number): ChartConfiguration<'bar'> {
  const top = rows.filter((r) => r.connections > 0).slice(0, n);
  const tick = dark ? '#c8d3df' : '#5b6470';
  const font = fontPx ? { font: { size: fontPx } } : {};
  return {
    type: 'bar',
    data: {
      labels: top.map((r) => r.country),
      datasets: [
        { label: 'stopped by postscreen', data: top.map((r) => r.connections - r.passed), backgroundColor: '#c0392b', stack: 's' },
        { label: 'passed', data: top.map((r) => r.passed), backgroundColor: '#2e86de', stack: 's' },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { labels: { color: tick, ...font } } },
      // every country named: chart.js would skip every other label when the text is large (the wall)
      scales: { x: { stacked: true, ticks: { color: tick, ...font } }, y: { stacked: true, ticks: { color: tick, ...font, autoSkip: false } } },
    },
  };
}

export function countryTable(rows: CountryRow[], limit = 25): HTMLTableElement {
  const head = el('tr', {}, ...['Country', 'Connections', 'Passed', 'IMAP logins', 'POP3 logins', 'Failed logins', 'Failed SMTP AUTH', 'Submissions'].map((h) => el('th', {}, h)));
  const body = rows.slice(0, limit).map((r) =>
    el(
      'tr',
      {},
      el('td', {}, r.country),
      ...[r.connections, r.passed, r.logins.imap, r.logins.pop3, r.login_failures.imap + r.login_failures.pop3, r.smtp_auth_failures, r.submissions].map((v) => el('td', { class: 'num' }, formatCompact(v))),
    ),
  );
  return el('table', { class: 'countries' }, el('thead', {}, head), el('tbody', {}, ...body));
}

export function creditLine(credit: string | null): HTMLElement {
  return el('p', { class: 'credit muted' }, credit ?? '');
}
