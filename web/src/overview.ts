// Overview: date-range picker, daily stacked volumes, defense funnel, spam rate trend,
// reject reasons, logins per protocol, hour-by-day heat map.
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { getJson } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { formatCompact, formatPct } from './lib/format';
import { shiftDate } from '../../core/time/local-time';
import { countriesChart, countryTable, type CountryRow } from './lib/geo-panel';
import { volumesChart, spamRateChart, funnelChart, rejectsChart, loginsChart, heatColor, type DayRow } from './lib/charts';

Chart.register(...registerables);

type Totals = Record<string, number | null>;
interface Summary {
  from: string;
  to: string;
  tz: string;
  days: Array<DayRow & Record<string, number | string | null>>;
  totals: Totals;
}

const charts = new Map<string, Chart>();
function draw(id: string, config: ChartConfiguration): void {
  charts.get(id)?.destroy();
  charts.set(id, new Chart(document.getElementById(id) as HTMLCanvasElement, config));
}

function kpis(t: Totals): void {
  const items: Array<[string, string]> = [
    ['Connections', formatCompact(t.connections)],
    ['Passed postscreen', formatCompact(t.connections_passed)],
    ['Received', formatCompact(t.received)],
    ['Delivered', formatCompact(t.delivered)],
    ['Spam blocked', formatCompact(t.spam_blocked)],
    ['Spam tagged', formatCompact(t.spam_tagged)],
    ['Spam rate', formatPct(t.spam_rate)],
    ['Rejects', formatCompact(t.rejected)],
    ['IMAP + POP3 logins', formatCompact((t.imap_logins ?? 0) + (t.pop3_logins ?? 0))],
    ['Outbound submitted', formatCompact(t.outbound_submitted)],
  ];
  $('#kpis').replaceChildren(...items.map(([label, value]) => el('div', { class: 'card kpi' }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value))));
}

function heatmap(days: Array<{ date: string; hours: number[] }>): void {
  const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
  const rows = days.length || 1;
  const cellH = Math.max(6, Math.min(22, Math.floor(600 / rows)));
  const left = 90;
  const top = 20;
  canvas.width = canvas.clientWidth || 900;
  canvas.height = top + rows * cellH + 4;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const cellW = (canvas.width - left - 4) / 24;
  const max = Math.max(1, ...days.flatMap((d) => d.hours));
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#5b6470';
  for (let h = 0; h < 24; h += 3) ctx.fillText(String(h).padStart(2, '0'), left + h * cellW + 2, 12);
  days.forEach((d, i) => {
    const y = top + i * cellH;
    if (cellH >= 10 || i % Math.ceil(10 / cellH) === 0) {
      ctx.fillStyle = '#5b6470';
      ctx.fillText(d.date, 4, y + Math.min(cellH, 12));
    }
    d.hours.forEach((v, h) => {
      ctx.fillStyle = heatColor(v, max);
      ctx.fillRect(left + h * cellW, y, cellW - 1, cellH - 1);
    });
  });
}

async function load(from: string, to: string): Promise<void> {
  const status = $('#status');
  status.textContent = 'loading…';
  status.className = 'muted';
  try {
    const [summary, funnel, rejects, logins, heat] = await Promise.all([
      getJson<Summary>('/api/summary', { from, to }),
      getJson<{ steps: Array<{ label: string; n: number }> }>('/api/funnel', { from, to }),
      getJson<{ by_class: Array<{ reason_class: string; n: number }> }>('/api/rejects', { from, to }),
      getJson<{ days: Array<{ date: string; protocol: string; logins: number; failures: number }> }>('/api/logins', { from, to }),
      getJson<{ days: Array<{ date: string; hours: number[] }> }>('/api/heatmap', { from, to, figure: 'connections' }),
    ]);
    kpis(summary.totals);
    draw('volumes', volumesChart(summary.days) as unknown as ChartConfiguration);
    draw('funnel', funnelChart(funnel.steps) as unknown as ChartConfiguration);
    draw('spamrate', spamRateChart(summary.days) as unknown as ChartConfiguration);
    draw('rejects', rejectsChart(rejects.by_class) as unknown as ChartConfiguration);
    draw('logins', loginsChart(logins.days) as unknown as ChartConfiguration);
    heatmap(heat.days);
    const geo = await getJson<{ countries: CountryRow[]; credit: string | null }>('/api/geo', { from, to });
    draw('countries', countriesChart(geo.countries) as unknown as ChartConfiguration);
    $('#geo-table').replaceChildren(countryTable(geo.countries));
    const h = await getJson<{ geoip?: { built?: string; type?: string } }>('/api/health');
    $('#geo-credit').textContent = [geo.credit, h.geoip?.built ? `country database ${h.geoip.type ?? ''} of ${h.geoip.built}` : null].filter(Boolean).join(' · ');
    status.textContent = `${summary.from} to ${summary.to} (${summary.tz})`;
    document.body.dataset.loaded = '1';
  } catch (e) {
    status.textContent = (e as Error).message;
    status.className = 'error';
  }
}

function init(): void {
  void renderNav();
  const params = new URLSearchParams(location.search);
  const today = new Date().toISOString().slice(0, 10);
  const fromIn = $('#from') as HTMLInputElement;
  const toIn = $('#to') as HTMLInputElement;
  toIn.value = params.get('to') ?? today;
  fromIn.value = params.get('from') ?? shiftDate(toIn.value, -29);
  const go = (): void => {
    history.replaceState(null, '', `/?from=${fromIn.value}&to=${toIn.value}`);
    void load(fromIn.value, toIn.value);
  };
  $('#range').addEventListener('submit', (e) => {
    e.preventDefault();
    go();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-days]')) {
    b.addEventListener('click', () => {
      fromIn.value = shiftDate(toIn.value, -(Number(b.dataset.days) - 1));
      go();
    });
  }
  go();
}

init();
