// NOC wall: today's figures and 24-hour charts, updated over SSE without a reload; no
// clicks, no scrolling, no personal data. Reconnects by itself after a server restart.
import { Chart, registerables } from 'chart.js';
import { formatCompact, formatPct, hourLabel } from './lib/format';
import { wallSmtpChart, wallMailChart, wallFontPx, type HourRow } from './lib/charts';
import { renderSla } from './lib/wall-sla';
import type { LiveSnapshot, LiveUpdate } from '../../server/http/live';
import type { FigureName } from '../../core/rollup/figures';
import { startGeoPanel } from './lib/wall-geo';

Chart.register(...registerables);

// Shapes of the live feed, shared with the server (type-only: nothing of it is bundled).
type Snapshot = LiveSnapshot;
type Update = LiveUpdate;

let state: Snapshot | null = null;
let smtpChart: Chart | null = null;
let mailChart: Chart | null = null;
let chartFont = 0;
const token = new URLSearchParams(location.search).get('token');
// The kiosk URL's token is a credential: once read, it leaves the address bar (and so the
// history, bookmarks and screenshots of the screen). The live feed keeps using it from memory.
if (token !== null) {
  const params = new URLSearchParams(location.search);
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
}

function setFigure(name: string, text: string, sub?: string): void {
  const v = document.querySelector<HTMLElement>(`[data-figure="${name}"]`);
  if (v && v.textContent !== text) {
    v.textContent = text;
    const tile = v.closest('.tile');
    tile?.classList.add('flash');
    setTimeout(() => tile?.classList.remove('flash'), 800);
  }
  const s = document.querySelector<HTMLElement>(`[data-sub="${name}"]`);
  if (s && sub !== undefined) s.textContent = sub;
}

function hours(s: Snapshot): HourRow[] {
  return s.hourly.map((h) => ({ ...h, label: hourLabel(h.hour, s.tz) }));
}

function render(): void {
  if (!state) return;
  const f = state.figures;
  document.getElementById('date')!.textContent = state.date;
  const n = (k: FigureName): number => f[k] ?? 0;
  setFigure('connections', formatCompact(n('connections')), `${formatPct(state.rates.pre_queue_block_rate)} blocked before the queue`);
  setFigure('delivered', formatCompact(n('delivered')), `${formatCompact(n('delivered_recipients'))} recipients`);
  setFigure('spam_blocked', formatCompact(n('spam_blocked')), `spam rate ${formatPct(state.rates.spam_rate)}`);
  setFigure('spam_tagged', formatCompact(n('spam_tagged')), `${formatCompact(n('virus_blocked'))} viruses blocked`);
  setFigure('rejected', formatCompact(n('rejected')), `${formatCompact(n('greylisted'))} greylisted`);
  setFigure('logins', formatCompact(n('imap_logins') + n('pop3_logins')), `${formatCompact(n('unique_users'))} users, ${formatCompact(n('login_failures'))} failed`);
  const rows = hours(state);
  // Chart text follows the screen's height; a new size (a resize) builds the charts again.
  const font = wallFontPx(window.innerHeight);
  if (font !== chartFont) {
    smtpChart?.destroy();
    mailChart?.destroy();
    smtpChart = mailChart = null;
    chartFont = font;
    document.body.dataset.chartFont = String(font);
  }
  const smtp = wallSmtpChart(rows, font);
  const mail = wallMailChart(rows, font);
  if (!smtpChart) smtpChart = new Chart(document.getElementById('chart-smtp') as HTMLCanvasElement, smtp);
  else {
    smtpChart.data = smtp.data;
    smtpChart.update('none');
  }
  if (!mailChart) mailChart = new Chart(document.getElementById('chart-mail') as HTMLCanvasElement, mail);
  else {
    mailChart.data = mail.data;
    mailChart.update('none');
  }
  document.body.dataset.updatedAt = String(state.updated_at);
}

function setStatus(live: boolean, text: string): void {
  const dot = document.getElementById('dot')!;
  dot.className = `dot ${live ? 'live' : 'down'}`;
  document.getElementById('status')!.textContent = text;
}

let source: EventSource | null = null;
function connect(): void {
  source?.close();
  const url = token ? `/api/live?token=${encodeURIComponent(token)}` : '/api/live';
  const es = new EventSource(url);
  source = es;
  es.addEventListener('open', () => setStatus(true, 'live'));
  es.addEventListener('snapshot', (e) => {
    state = JSON.parse((e as MessageEvent<string>).data) as Snapshot;
    setStatus(true, 'live');
    render();
  });
  es.addEventListener('update', (e) => {
    const u = JSON.parse((e as MessageEvent<string>).data) as Update;
    if (!state || state.date !== u.date) return;
    state.figures = { ...state.figures, ...u.figures };
    if (u.rates) state.rates = u.rates;
    if (u.hourly) state.hourly = u.hourly;
    state.updated_at = u.updated_at;
    render();
  });
  es.addEventListener('error', () => {
    // The browser retries by itself while the server is away; a refused reconnect (e.g. a
    // 401 after a restart) closes the source for good, so start a new one.
    setStatus(false, 'reconnecting');
    if (es.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  });
}

function tick(): void {
  const tz = state?.tz ?? 'Europe/Rome';
  document.getElementById('clock')!.textContent = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
}

tick();
setInterval(tick, 10_000);
connect();
startGeoPanel(token);
// Availability, the month's error budget and open incidents: /api/sla/now every 30 s.
void renderSla(setFigure);
setInterval(() => void renderSla(setFigure), 30_000);
window.addEventListener('resize', () => render());
