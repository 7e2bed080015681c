// The report's charts as chart.js configurations built from the model (pure data), and drawn
// to PNG by render-chart. Days without data are gaps, not zeros, so a missing day is not read
// as a quiet one.
import type { ChartConfiguration } from 'chart.js';
import type { ReportLanguage } from '../../core/config/reports-schema';
import type { ReportModel } from '../model/types';
import { stringsFor } from '../pdf/strings';

export const palette = { delivered: '#2b6cb0', tagged: '#d69e2e', blocked: '#c53030', rejected: '#718096', spam: '#9c4221', imap: '#2f855a', pop3: '#805ad5' };

const dayLabels = (m: ReportModel): string[] => m.daily.map((d) => String(Number(d.date.slice(8))));

export function dailyVolumesChart(m: ReportModel, lang: ReportLanguage): ChartConfiguration {
  const s = stringsFor(lang).series;
  const series = (pick: (d: ReportModel['daily'][number]) => number) => m.daily.map((d) => (d.has_data ? pick(d) : null));
  const line = (label: string, color: string, data: Array<number | null>, axis = 'y') => ({ label, data, borderColor: color, backgroundColor: color, pointRadius: 1.5, borderWidth: 1.5, yAxisID: axis });
  return {
    type: 'line',
    data: {
      labels: dayLabels(m),
      datasets: [
        line(s.delivered, palette.delivered, series((d) => d.delivered)),
        line(s.tagged, palette.tagged, series((d) => d.spam_tagged)),
        line(s.blocked, palette.blocked, series((d) => d.blocked)),
        // rejects run an order of magnitude above the messages: their own axis, dashed
        { ...line(s.rejected, palette.rejected, series((d) => d.rejected), 'y2'), borderDash: [4, 3] },
      ],
    },
    options: {
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
      scales: {
        y: { beginAtZero: true, title: { display: true, text: s.messages } },
        y2: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: s.rejected } },
      },
    },
  };
}

export function spamRateChart(m: ReportModel, lang: ReportLanguage): ChartConfiguration {
  const s = stringsFor(lang).series;
  return {
    type: 'line',
    data: {
      labels: dayLabels(m),
      datasets: [{ label: `${s.spamRate} (%)`, data: m.daily.map((d) => (d.has_data && d.spam_rate !== null ? Math.round(d.spam_rate * 1000) / 10 : null)), borderColor: palette.spam, backgroundColor: palette.spam, pointRadius: 1.5, borderWidth: 1.5 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: '%' } } } },
  };
}

export function loginsChart(m: ReportModel, lang: ReportLanguage): ChartConfiguration {
  const s = stringsFor(lang).series;
  return {
    type: 'bar',
    data: {
      labels: dayLabels(m),
      datasets: [
        { label: s.imap, data: m.daily.map((d) => d.imap_logins), backgroundColor: palette.imap },
        { label: s.pop3, data: m.daily.map((d) => d.pop3_logins), backgroundColor: palette.pop3 },
      ],
    },
    options: { plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  };
}

/** The funnel on a logarithmic axis: a million connections and sixteen thousand deliveries both show. */
export function funnelChart(m: ReportModel, lang: ReportLanguage): ChartConfiguration {
  const s = stringsFor(lang);
  return {
    type: 'bar',
    data: {
      labels: m.funnel.map((f) => s.funnelSteps[f.step]),
      datasets: [{ label: s.count, data: m.funnel.map((f) => Math.max(f.n, 0)), backgroundColor: ['#a0aec0', '#718096', palette.delivered, palette.imap, palette.delivered] }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: {
        x: {
          type: 'logarithmic',
          min: 1,
          // powers of ten only: the default log ticks crowd the axis
          ticks: { callback: (v) => (Math.log10(Number(v)) % 1 === 0 ? new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-GB', { useGrouping: 'always' } as Intl.NumberFormatOptions).format(Number(v)) : '') },
        },
      } },
  };
}
