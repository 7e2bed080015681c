// Pure data → chart.js configuration (no DOM): the pages hand these to Chart, tests check them.
import type { ChartConfiguration } from 'chart.js';

export interface DayRow {
  date: string;
  delivered: number;
  spam_tagged: number;
  spam_blocked: number;
  virus_blocked: number;
  bounced: number;
  rejected: number;
  spam_rate: number | null;
}

export interface HourRow {
  label: string;
  connections: number;
  rejected: number;
  delivered: number;
  spam_blocked: number;
  spam_tagged: number;
}

export const palette = {
  delivered: '#2e86de',
  spam_tagged: '#f5a623',
  spam_blocked: '#e74c3c',
  virus_blocked: '#8e44ad',
  bounced: '#7f8c8d',
  connections: '#5dade2',
  rejected: '#ec7063',
  imap: '#2e86de',
  pop3: '#27ae60',
  failures: '#c0392b',
};

/** `fontPx`: the wall's text size, which follows the screen's height (see wallFontPx). */
type Theme = { dark: boolean; fontPx?: number };

function axes(theme: Theme, stacked: boolean, extra: Record<string, unknown> = {}) {
  const grid = { color: theme.dark ? '#1f2d3d' : '#e5e8ec' };
  const ticks = { color: theme.dark ? '#9fb0c4' : '#5b6470', font: { size: theme.fontPx ?? (theme.dark ? 18 : 12) } };
  return { x: { stacked, grid, ticks }, y: { stacked, beginAtZero: true, grid, ticks, ...extra } };
}

function base(theme: Theme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { labels: { color: theme.dark ? '#e9eef5' : '#1b1f24', font: { size: theme.fontPx ?? (theme.dark ? 18 : 12) }, boxWidth: theme.fontPx ? theme.fontPx * 2 : 40 } } },
  };
}

export function volumesChart(days: DayRow[], theme: Theme = { dark: false }): ChartConfiguration<'bar'> {
  const series: Array<[keyof typeof palette & keyof DayRow, string]> = [
    ['delivered', 'delivered'],
    ['spam_tagged', 'spam tagged'],
    ['spam_blocked', 'spam blocked'],
    ['virus_blocked', 'virus blocked'],
    ['bounced', 'bounced'],
  ];
  return {
    type: 'bar',
    data: {
      labels: days.map((d) => d.date),
      datasets: series.map(([k, label]) => ({ label, data: days.map((d) => d[k] as number), backgroundColor: palette[k], stack: 'mail' })),
    },
    options: { ...base(theme), scales: axes(theme, true) },
  };
}

export function spamRateChart(days: DayRow[], theme: Theme = { dark: false }): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: days.map((d) => d.date),
      datasets: [{ label: 'spam rate %', data: days.map((d) => (d.spam_rate === null ? null : Math.round(d.spam_rate * 1000) / 10)), borderColor: palette.spam_blocked, backgroundColor: palette.spam_blocked, spanGaps: true, pointRadius: 2 }],
    },
    options: { ...base(theme), scales: axes(theme, false, { max: 100 }) },
  };
}

export function funnelChart(steps: Array<{ label: string; n: number }>, theme: Theme = { dark: false }): ChartConfiguration<'bar'> {
  const colors = ['#5dade2', '#48c9b0', '#f4d03f', '#f5a623', '#2e86de'];
  return {
    type: 'bar',
    data: { labels: steps.map((s) => s.label), datasets: [{ label: 'count (log scale)', data: steps.map((s) => s.n), backgroundColor: steps.map((_, i) => colors[i % colors.length]!) }] },
    options: {
      ...base(theme),
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { type: 'logarithmic', min: 1 }, y: { ticks: { font: { size: 12 } } } },
    },
  };
}

export function rejectsChart(byClass: Array<{ reason_class: string; n: number }>, theme: Theme = { dark: false }): ChartConfiguration<'bar'> {
  const top = byClass.slice(0, 10);
  return {
    type: 'bar',
    data: { labels: top.map((r) => r.reason_class), datasets: [{ label: 'rejects', data: top.map((r) => r.n), backgroundColor: palette.rejected }] },
    options: { ...base(theme), indexAxis: 'y', plugins: { legend: { display: false } } },
  };
}

export function loginsChart(days: Array<{ date: string; protocol: string; logins: number; failures: number }>, theme: Theme = { dark: false }): ChartConfiguration<'bar'> {
  const dates = [...new Set(days.map((d) => d.date))].sort();
  const protocols = [...new Set(days.map((d) => d.protocol))].sort();
  const get = (date: string, p: string, k: 'logins' | 'failures'): number => days.find((d) => d.date === date && d.protocol === p)?.[k] ?? 0;
  const datasets: ChartConfiguration<'bar'>['data']['datasets'] = protocols.map((p) => ({
    label: p,
    data: dates.map((d) => get(d, p, 'logins')),
    backgroundColor: (palette as Record<string, string>)[p] ?? '#95a5a6',
    stack: 'ok',
  }));
  datasets.push({ label: 'failures', data: dates.map((d) => protocols.reduce((s, p) => s + get(d, p, 'failures'), 0)), backgroundColor: palette.failures, stack: 'failed' });
  return { type: 'bar', data: { labels: dates, datasets }, options: { ...base(theme), scales: axes(theme, true) } };
}

type HourFigure = 'connections' | 'rejected' | 'delivered' | 'spam_tagged' | 'spam_blocked';

/** A 24-hour bar chart on the dark wall, one dataset per figure (stacked when asked). */
function wallHourChart(hours: HourRow[], series: Array<[label: string, figure: HourFigure]>, stacked: boolean, fontPx: number): ChartConfiguration<'bar'> {
  const theme = { dark: true, fontPx };
  return {
    type: 'bar',
    data: {
      labels: hours.map((h) => h.label),
      datasets: series.map(([label, figure]) => ({
        label,
        data: hours.map((h) => h[figure]),
        backgroundColor: palette[figure],
        ...(stacked ? { stack: 'm' } : {}),
      })),
    },
    options: { ...base(theme), scales: axes(theme, stacked) },
  };
}

/**
 * The wall's chart text, in CSS pixels, from the screen's height: 2% of it (22 px at 1080p,
 * 43 px at 2160p), like the tiles' text that is sized in vh. A fixed size was about 9 px high
 * on a 4K wall: unreadable across a room.
 */
export function wallFontPx(viewportHeight: number): number {
  return Math.max(14, Math.round(viewportHeight * 0.02));
}

export function wallSmtpChart(hours: HourRow[], fontPx = 18): ChartConfiguration<'bar'> {
  return wallHourChart(hours, [['connections', 'connections'], ['rejects', 'rejected']], false, fontPx);
}

export function wallMailChart(hours: HourRow[], fontPx = 18): ChartConfiguration<'bar'> {
  return wallHourChart(hours, [['delivered', 'delivered'], ['spam tagged', 'spam_tagged'], ['spam blocked', 'spam_blocked']], true, fontPx);
}

/** Heat-map cell colour: white → deep blue by share of the maximum. */
export function heatColor(v: number, max: number): string {
  const t = max <= 0 ? 0 : Math.min(1, v / max);
  const r = Math.round(255 - t * (255 - 11));
  const g = Math.round(255 - t * (255 - 92));
  const b = Math.round(255 - t * (255 - 173));
  return `rgb(${r}, ${g}, ${b})`;
}
