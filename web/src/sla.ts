// The SLA page: availability per service against the target, the error-budget gauge, burn
// rates, incidents with their timeline (evidence lines for operators, audited), per-host
// figures, host roles (learned or configured) and maintenance. Text from logs goes in as text.
import { Chart, registerables } from 'chart.js';
import { getJson } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { shiftDate } from '../../core/time/local-time';
import { budgetGauge } from './lib/sla-charts';
import type { SlaReport, Incident } from '../../sla/types';

Chart.register(...registerables);

let gauge: Chart | null = null;
let role = 'manager';

function row(cells: Array<string | number | Node | null>, cls = ''): HTMLTableRowElement {
  return el('tr', cls ? { class: cls } : {}, ...cells.map((c) => el('td', {}, c === null ? '—' : c)));
}

function fill(id: string, rows: HTMLTableRowElement[], empty: string): void {
  const body = $(`#${id} tbody`);
  body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '9', class: 'muted' }, empty))]));
}

function localTime(iso: string | null, tz: string): string {
  if (!iso) return 'open';
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

function incidentsView(list: Incident[], tz: string): Node {
  if (list.length === 0) return el('p', { class: 'muted' }, 'No incident in this range.');
  return el(
    'ol',
    { class: 'incidents' },
    ...list.map((i) => {
      const head = el(
        'div',
        { class: 'incident-head' },
        el('span', { class: `badge ${i.open ? 'bad' : 'ok'}` }, i.open ? 'open' : 'closed'),
        el('strong', {}, i.service),
        ` ${localTime(i.start, tz)} → ${localTime(i.end, tz)} · ${i.hosts.join(', ')} · ${i.cause} · service down ${i.service_downtime_s} s`,
      );
      const tl = el(
        'ul',
        { class: 'timeline' },
        ...i.timeline.map((t) =>
          el(
            'li',
            { class: t.what },
            `${localTime(t.at, tz)} ${t.host} ${t.what === 'down' ? 'went down' : t.what === 'up' ? 'came back' : 'refused for the last time'} (${t.cause})`,
            t.evidence && t.evidence.length ? el('pre', { class: 'mono evidence' }, t.evidence.join('\n')) : null,
          ),
        ),
      );
      const li = el('li', { class: 'incident' }, head, tl);
      li.dataset.service = i.service;
      li.dataset.open = String(i.open);
      return li;
    }),
  );
}

function render(r: SlaReport): void {
  const tz = r.timezone;
  $('#summary').textContent = `${r.from} to ${r.to} (${tz}), counted up to ${localTime(r.as_of, tz)} · target ${r.target_pct}% · coverage ${(r.coverage * 100).toFixed(3)}% (${r.unknown_s} s with no log line and no probe: unknown, not up)`;
  fill(
    'services',
    r.services.map((s) =>
      row(
        [s.service, s.hosts, s.availability_pct, s.raw_availability_pct, s.downtime_s, s.maintenance_s, s.meets_target === null ? 'no host' : s.meets_target ? 'met' : 'missed'],
        s.meets_target === false ? 'missed' : s.meets_target ? 'met' : 'none',
      ),
    ),
    'no service',
  );
  const budgets = r.budget.flatMap((b) => b.periods.map((p) => ({ service: b.service, p })));
  fill(
    'budget',
    budgets.map(({ service, p }) => {
      const m = el('meter', { min: '0', max: '1', low: '0.5', high: '0.9', optimum: '0', value: String(Math.min(1, p.used_share)) });
      m.title = `${(p.used_share * 100).toFixed(1)}% used`;
      return row([service, p.kind === 'calendar_month' ? 'calendar month' : 'rolling 30 days', m, p.budget_s, p.used_s, p.left_s], p.left_s < 0 ? 'missed' : '');
    }),
    'no service with hosts',
  );
  // The gauge: the budget period (this calendar month, or the last 30 days: early in a month the
  // calendar one has seen little) of the service that used the largest share of its budget.
  const worst = [...budgets].sort((a, b) => b.p.used_share - a.p.used_share)[0];
  gauge?.destroy();
  gauge = null;
  if (worst) {
    gauge = new Chart($('#budget-gauge') as HTMLCanvasElement, budgetGauge(worst.p.used_s, worst.p.budget_s));
    const period = worst.p.kind === 'calendar_month' ? 'this calendar month' : 'the last 30 days';
    $('#gauge-label').textContent = `${worst.service}, ${period}: ${worst.p.used_s} s used of ${worst.p.budget_s} s (${worst.p.left_s} s left)`;
  }
  fill(
    'burn',
    r.burn_rates.map((b) => row([b.service, b.burn['5m'], b.burn['30m'], b.burn['1h'], b.burn['6h'], b.page ? 'PAGE' : b.ticket ? 'ticket' : '—'], b.page ? 'missed' : '')),
    'no service with hosts',
  );
  $('#incidents').replaceChildren(incidentsView(r.incidents, tz));
  fill('hosts', r.hosts.map((h) => row([h.host, h.service, h.availability_pct, h.downtime_s, Number(h.weight.toFixed(3))])), 'no host known');
  fill('roles', r.roles.map((x) => row([x.host, x.roles.join(', '), x.mailbox_share, x.source])), 'no role configured or learned');
  fill('maintenance', r.maintenance.map((m) => row([localTime(m.from, tz), localTime(m.to, tz), m.services.length ? m.services.join(', ') : 'all', m.reason, m.declared_by ? `${m.source} by ${m.declared_by}` : m.source])), 'no maintenance in this range');
  for (const t of ['services', 'hosts', 'incidents']) ($(`#csv-${t}`) as HTMLAnchorElement).href = `/api/sla.csv?from=${r.from}&to=${r.to}&table=${t}`;
  document.body.dataset.loaded = 'true';
}

async function load(): Promise<void> {
  const from = ($('#from') as HTMLInputElement).value;
  const to = ($('#to') as HTMLInputElement).value;
  const evidence = ($('#evidence') as HTMLInputElement).checked && (role === 'operator' || role === 'admin');
  $('#status').textContent = 'loading…';
  try {
    const r = await getJson<SlaReport>('/api/sla', { from, to, evidence: evidence ? 1 : undefined });
    render(r);
    $('#status').textContent = '';
  } catch (e) {
    $('#status').textContent = e instanceof Error ? e.message : String(e);
    $('#status').className = 'error';
  }
}

function setRange(days: number): void {
  const today = new Date().toISOString().slice(0, 10);
  ($('#to') as HTMLInputElement).value = today;
  ($('#from') as HTMLInputElement).value = shiftDate(today, -(days - 1));
}

async function main(): Promise<void> {
  const me = await renderNav();
  role = me?.role ?? 'manager';
  if (role === 'operator' || role === 'admin') $('#evidence-label').hidden = false;
  const params = new URLSearchParams(location.search);
  setRange(30);
  if (params.get('from')) ($('#from') as HTMLInputElement).value = params.get('from')!;
  if (params.get('to')) ($('#to') as HTMLInputElement).value = params.get('to')!;
  $('#range').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  $('#evidence').addEventListener('change', () => void load());
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-days]')) {
    b.addEventListener('click', () => {
      setRange(Number(b.dataset.days));
      void load();
    });
  }
  await load();
}

void main();
