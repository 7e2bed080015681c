// Pure data → chart.js configuration for the cost page (no DOM).
import type { ChartConfiguration } from 'chart.js';

const grid = { color: '#e5e8ec' };
const colors = ['#2e86de', '#27ae60', '#f5a623', '#8e44ad', '#e74c3c', '#16a085', '#7f8c8d', '#d35400'];

/** Long item names would squeeze the bars: cut at 30 characters. */
function short(label: string): string {
  return label.length > 30 ? `${label.slice(0, 29)}…` : label;
}

export interface ItemRow {
  name: string;
  per_year: number;
  storage: boolean;
}

/** Yearly cost by item (investment written off, one-off upkeep spread, yearly upkeep). */
export function itemsChart(items: ItemRow[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: items.map((i) => short(i.storage ? `${i.name} (storage)` : i.name)),
      datasets: [{ label: 'per year', data: items.map((i) => i.per_year), backgroundColor: items.map((i, k) => (i.storage ? '#e67e22' : colors[k % colors.length]!)) }],
    },
    options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { grid, beginAtZero: true }, y: { grid } } },
  };
}

export interface MonthRow {
  from: string;
  cost: number;
  delivered: number;
  mailboxes: number;
}

export function monthlyChart(months: MonthRow[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: months.map((m) => m.from.slice(0, 7)),
      datasets: [
        { type: 'bar', label: 'cost', data: months.map((m) => m.cost), backgroundColor: '#2e86de', yAxisID: 'y' },
        { type: 'line', label: 'active mailboxes', data: months.map((m) => m.mailboxes), borderColor: '#27ae60', backgroundColor: '#27ae60', yAxisID: 'y1' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { grid, beginAtZero: true, position: 'left' }, y1: { grid: { drawOnChartArea: false }, beginAtZero: true, position: 'right' } },
    },
  };
}

export function dailyChart(days: Array<{ date: string; mailboxes: number }>): ChartConfiguration {
  return {
    type: 'line',
    data: { labels: days.map((d) => d.date.slice(5)), datasets: [{ label: 'active mailboxes', data: days.map((d) => d.mailboxes), borderColor: '#2e86de', backgroundColor: '#2e86de', pointRadius: 2 }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { grid }, y: { grid, beginAtZero: true } } },
  };
}

/**
 * Used GB per snapshot day, then the forecast to the fill date; the capacity line only when
 * the curve comes within a fifth of it (otherwise it flattens the curve to nothing).
 */
export function storageChart(days: Array<{ date: string; used_gb: number }>, forecast: Array<{ date: string; used_gb: number }>, capacityGb: number): ChartConfiguration {
  const labels = [...days.map((d) => d.date), ...forecast.slice(1).map((f) => f.date)];
  const used = [...days.map((d) => d.used_gb), ...forecast.slice(1).map(() => null)];
  const fc = [...days.map((_, i) => (i === days.length - 1 ? days[i]!.used_gb : null)), ...forecast.slice(1).map((f) => f.used_gb)];
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'used (GB)', data: used, borderColor: '#2e86de', backgroundColor: '#2e86de', pointRadius: 1, spanGaps: false },
        { label: 'forecast (GB)', data: fc, borderColor: '#f5a623', backgroundColor: '#f5a623', borderDash: [6, 4], pointRadius: 0, spanGaps: true },
        ...(Math.max(...used.map((x) => x ?? 0), ...fc.map((x) => x ?? 0)) >= capacityGb / 5
          ? [{ label: 'capacity (GB)', data: labels.map(() => capacityGb), borderColor: '#e74c3c', backgroundColor: '#e74c3c', pointRadius: 0 }]
          : []),
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { grid, ticks: { maxTicksLimit: 12 } }, y: { grid, beginAtZero: true } } },
  };
}
