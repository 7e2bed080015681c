// The wall's country panel: today's top countries and the count of open signals (no names),
// refreshed every minute (country days are rolled up by the minute job).
import { Chart, type ChartConfiguration } from 'chart.js';
import { getJson } from './api';
import { countriesChart, type CountryRow } from './geo-panel';
import { wallFontPx } from './charts';

export function startGeoPanel(token: string | null): void {
  let chart: Chart | null = null;
  const q = token ? { token } : {};
  const refresh = async (): Promise<void> => {
    try {
      const [top, open] = await Promise.all([
        getJson<{ countries: Array<Pick<CountryRow, 'country' | 'connections' | 'passed'>>; credit: string | null }>('/api/geo/top', { ...q, n: 8 }),
        getJson<{ open: number }>('/api/signals/open', q),
      ]);
      const config = countriesChart(top.countries, 8, true, wallFontPx(window.innerHeight)) as unknown as ChartConfiguration;
      chart?.destroy();
      chart = new Chart(document.getElementById('chart-countries') as HTMLCanvasElement, config);
      document.getElementById('geo-credit')!.textContent = top.credit ?? '';
      const badge = document.getElementById('open-signals')!;
      badge.textContent = open.open === 1 ? '· 1 open signal' : `· ${open.open} open signals`;
      badge.className = open.open > 0 ? 'open-signals alert' : 'open-signals';
    } catch {
      /* the live feed shows the connection state; try again next minute */
    }
  };
  void refresh();
  setInterval(() => void refresh(), 60_000);
}
