// Cost page: the figures of /api/cost, the breakdown by item, monthly trend, active mailboxes,
// storage with its forecast, the departments' chargeback, and what-if sliders computed here
// with the same pure model the server uses (cost/model.ts), so they update as they move.
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { getJson } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { formatInt } from './lib/format';
import { shiftDate } from '../../core/time/local-time';
import { scenarioFigures, type CostModel, type Usage, type ScenarioResult } from '../../cost/model';
import { itemsChart, monthlyChart, dailyChart, storageChart, type ItemRow, type MonthRow } from './lib/cost-charts';

Chart.register(...registerables);

interface Report {
  from: string;
  to: string;
  currency: string;
  mailboxes: number;
  mailboxes_source: 'counted' | 'fixed';
  delivered: number;
  investment_per_mailbox: number | null;
  running_per_mailbox_year: number | null;
  full_per_mailbox_year: number | null;
  per_delivered_message: number | null;
  per_gb_quota_year: number | null;
  per_gb_used_year: number | null;
  totals: { full_year: number; storage_fraction: number | null; window_budget: number };
  items: ItemRow[];
  budget: { year: number; budgeted_yearly_cost: number; spent_to_date: number; through: string; forecast_year: number; variance: number };
  daily_mailboxes: Array<{ date: string; mailboxes: number }>;
  monthly: MonthRow[];
  storage: { available: false; note: string } | { available: true; date: string; used_gb: number; capacity_gb: number; growth_gb_per_month: number | null; fills_on: string | null; days: Array<{ date: string; used_gb: number }>; forecast: Array<{ date: string; used_gb: number }> };
  allocation: { method: string; configured: string; note: string | null };
  departments: Array<{ department: string; mailboxes: number; messages: number; used_gb: number | null; ratio: number; cost: number }>;
  scenarios: ScenarioResult[];
  model: CostModel;
  usage: Usage;
}

const charts = new Map<string, Chart>();
function draw(id: string, config: ChartConfiguration): void {
  charts.get(id)?.destroy();
  charts.set(id, new Chart(document.getElementById(id) as HTMLCanvasElement, config));
}

let cur = 'EUR';
function money(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined) return '–';
  return `${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${cur}`;
}

function kpis(r: Report): void {
  const items: Array<[string, string, string]> = [
    ['Mailboxes', formatInt(r.mailboxes), r.mailboxes_source === 'fixed' ? 'fixed in the config' : 'seen in the logs'],
    ['Investment / mailbox', money(r.investment_per_mailbox), 'investment_per_mailbox'],
    ['Running / mailbox / year', money(r.running_per_mailbox_year), 'running_per_mailbox_year'],
    ['Full / mailbox / year', money(r.full_per_mailbox_year), 'full_per_mailbox_year'],
    ['Per delivered message', money(r.per_delivered_message, 4), `${formatInt(r.delivered)} delivered`],
    ['Per GB of quota / year', money(r.per_gb_quota_year), 'per_gb_quota_year'],
    ['Per GB used / year', r.storage.available ? money(r.per_gb_used_year) : 'needs snapshots', 'per_gb_used_year'],
  ];
  $('#kpis').replaceChildren(
    ...items.map(([label, value, key]) => {
      const v = el('div', { class: 'value' }, value);
      v.dataset.figure = key;
      return el('div', { class: 'card kpi' }, el('div', { class: 'label' }, label), v, key.includes('_') ? null : el('div', { class: 'label' }, key));
    }),
  );
  const b = r.budget;
  const storageShare = r.totals.storage_fraction === null ? '' : ` Storage is ${(r.totals.storage_fraction * 100).toFixed(0)}% of the yearly cost.`;
  $('#budget').textContent =
    `Budget ${b.year}: ${money(b.budgeted_yearly_cost)}; accrued to ${b.through}: ${money(b.spent_to_date)}; forecast for the year ${money(b.forecast_year)} ` +
    `(${b.variance > 0 ? 'over' : 'within'} budget by ${money(Math.abs(b.variance))}).${storageShare}`;
}

function departments(r: Report): void {
  $('#allocation').textContent = `Shared cost of the window (${money(r.totals.window_budget)}) split ${r.allocation.method === 'evenly' ? 'evenly per mailbox' : `by ${r.allocation.method === 'storage' ? 'storage used' : 'messages delivered'}`}.${r.allocation.note ? ` ${r.allocation.note}.` : ''}`;
  $('#departments tbody').replaceChildren(
    ...r.departments.map((d) =>
      el(
        'tr',
        { class: d.department === 'unallocated' ? 'unallocated' : '' },
        el('td', {}, d.department),
        el('td', { class: 'num' }, formatInt(d.mailboxes)),
        el('td', { class: 'num' }, formatInt(d.messages)),
        el('td', { class: 'num' }, d.used_gb === null ? '–' : d.used_gb.toLocaleString('en-US')),
        el('td', { class: 'num' }, `${(d.ratio * 100).toFixed(2)}%`),
        el('td', { class: 'num' }, money(d.cost)),
      ),
    ),
  );
}

function storage(r: Report): void {
  const box = document.getElementById('storage-chart')!;
  if (!r.storage.available) {
    $('#storage-note').textContent = r.storage.note;
    box.classList.add('hidden');
    charts.get('storage')?.destroy();
    charts.delete('storage');
    return;
  }
  const s = r.storage;
  box.classList.remove('hidden');
  $('#storage-note').textContent = `${s.used_gb.toLocaleString('en-US')} GB used on ${s.date} of ${s.capacity_gb.toLocaleString('en-US')} GB; growth ${s.growth_gb_per_month === null ? 'unknown' : `${s.growth_gb_per_month} GB a month`}; capacity fills ${s.fills_on ?? 'never at this growth'}.`;
  draw('storage', storageChart(s.days, s.forecast, s.capacity_gb));
}

// ------------------------------------------------------------------ what-if
let report: Report | null = null;
const storageItem = (m: CostModel): string | undefined => m.items.find((i) => i.storage)?.name;
const slider = (id: string): HTMLInputElement => document.getElementById(id) as HTMLInputElement;

function scenarioRow(s: ScenarioResult, cls = ''): HTMLTableRowElement {
  return el(
    'tr',
    { class: cls },
    el('td', {}, s.name),
    el('td', { class: 'num' }, formatInt(s.mailboxes)),
    el('td', { class: 'num', 'data-figure': 'investment_per_mailbox' }, money(s.investment_per_mailbox)),
    el('td', { class: 'num', 'data-figure': 'running_per_mailbox_year' }, money(s.running_per_mailbox_year)),
    el('td', { class: 'num', 'data-figure': 'full_per_mailbox_year' }, money(s.full_per_mailbox_year)),
    el('td', { class: 'num' }, money(s.per_gb_quota_year)),
    el('td', { class: 'num' }, money(s.per_delivered_message, 4)),
  );
}

function whatIf(): void {
  if (!report) return;
  const r = report;
  const m = Number(slider('s-mailboxes').value);
  const q = Number(slider('s-quota').value);
  const st = Number(slider('s-storage').value);
  const svc = Number(slider('s-service').value);
  const item = storageItem(r.model);
  $('#o-mailboxes').textContent = formatInt(m);
  $('#o-quota').textContent = `${q} GB`;
  $('#o-storage').textContent = money(st, 0);
  $('#o-service').textContent = svc > 0 ? money(svc) : 'own storage';
  const mine = scenarioFigures(r.model, r.usage, {
    name: 'Your what-if',
    mailboxes: m,
    quota_gb: q,
    spends: item ? { [item]: st } : {},
    ...(svc > 0 ? { storage_per_mailbox_year: svc } : {}),
  });
  const actual = scenarioFigures(r.model, r.usage, { name: 'Actual' });
  $('#scenarios tbody').replaceChildren(scenarioRow(actual), ...r.scenarios.map((s) => scenarioRow(s)), scenarioRow(mine, 'what-if'));
}

function initSliders(r: Report): void {
  slider('s-mailboxes').value = String(Math.max(500, Math.min(20000, Math.round(r.usage.mailboxes / 100) * 100 || 500)));
  slider('s-quota').value = String(r.model.quota_gb);
  const item = r.model.items.find((i) => i.storage);
  slider('s-storage').value = String(item?.spend ?? 0);
  slider('s-storage').disabled = !item;
  slider('s-service').value = '0';
}

// ------------------------------------------------------------------ load
async function load(from: string, to: string): Promise<void> {
  const status = $('#status');
  status.textContent = 'loading…';
  status.className = 'muted';
  try {
    const r = await getJson<Report>('/api/cost', { from, to });
    report = r;
    cur = r.currency;
    kpis(r);
    draw('items', itemsChart(r.items));
    draw('monthly', monthlyChart(r.monthly));
    draw('daily', dailyChart(r.daily_mailboxes));
    storage(r);
    departments(r);
    initSliders(r);
    whatIf();
    (document.getElementById('csv') as HTMLAnchorElement).href = `/api/cost/chargeback.csv?from=${from}&to=${to}`;
    status.textContent = `${r.from} … ${r.to}`;
  } catch (e) {
    status.textContent = (e as Error).message;
    status.className = 'error';
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

void renderNav();
const fromIn = document.getElementById('from') as HTMLInputElement;
const toIn = document.getElementById('to') as HTMLInputElement;
const params = new URLSearchParams(location.search);
toIn.value = params.get('to') ?? today();
fromIn.value = params.get('from') ?? shiftDate(toIn.value, -29);
$('#range').addEventListener('submit', (e) => {
  e.preventDefault();
  void load(fromIn.value, toIn.value);
});
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-days]')) {
  b.addEventListener('click', () => {
    fromIn.value = shiftDate(toIn.value, -(Number(b.dataset.days) - 1));
    void load(fromIn.value, toIn.value);
  });
}
for (const id of ['s-mailboxes', 's-quota', 's-storage', 's-service']) slider(id).addEventListener('input', whatIf);
void load(fromIn.value, toIn.value);
