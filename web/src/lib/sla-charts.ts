// Chart configurations of the SLA page, as pure data.
import type { ChartConfiguration } from 'chart.js';

/** A half-doughnut gauge: error budget used (red when over) against what is left. */
export function budgetGauge(usedS: number, budgetS: number): ChartConfiguration<'doughnut'> {
  const used = Math.max(0, usedS);
  const left = Math.max(0, budgetS - used);
  const over = used > budgetS;
  return {
    type: 'doughnut',
    data: {
      labels: ['used (s)', 'left (s)'],
      datasets: [{ data: [over ? budgetS : used, left], backgroundColor: [over ? '#c62828' : '#b35900', '#1a7f37'], borderWidth: 0 }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      rotation: -90,
      circumference: 180,
      cutout: '65%',
      plugins: { legend: { position: 'bottom' } },
    },
  };
}
