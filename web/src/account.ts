// One account's timeline: failed logins, first successes from new networks or countries,
// submissions, bounces, blocked outbound spam and signals, in time order, linked to traces.
import { getJson } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { shiftDate } from '../../core/time/local-time';
import { foldRuns, type TimelineEvent } from './lib/timeline-runs';

const time = (t: number): string => new Date(t * 1000).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
const clock = (t: number): string => new Date(t * 1000).toLocaleTimeString('en-GB');
/** a run's span: its first time, and the last one's time of day (or date and time on another day) */
const span = (a: number, b: number): string => (a === b ? time(a) : `${time(a)} – ${new Date(a * 1000).toDateString() === new Date(b * 1000).toDateString() ? clock(b) : time(b)}`);

async function load(): Promise<void> {
  const user = ($('#user') as HTMLInputElement).value.trim();
  const from = ($('#from') as HTMLInputElement).value;
  const to = ($('#to') as HTMLInputElement).value;
  if (!user) return;
  history.replaceState(null, '', `/account?user=${encodeURIComponent(user)}&from=${from}&to=${to}`);
  const status = $('#status');
  status.textContent = 'loading…';
  status.className = 'muted';
  try {
    const r = await getJson<{ events: TimelineEvent[]; credit: string | null }>('/api/timeline', { user, from, to });
    const head = el('tr', {}, ...['Time', 'Event', 'Detail', 'Address', 'Country', 'Trace'].map((h) => el('th', {}, h)));
    const rows = foldRuns(r.events).map(({ event: e, lastAt, n }) =>
      el(
        'tr',
        { class: `ev-${e.kind}` },
        el('td', {}, span(e.at, lastAt)),
        el('td', {}, e.kind.replace(/_/g, ' ')),
        el('td', {}, n > 1 ? `${e.detail} × ${n}` : e.detail),
        el('td', {}, e.ip ?? ''),
        el('td', {}, e.country ?? ''),
        el('td', {}, e.message_id !== null ? el('a', { href: `/trace?id=${e.message_id}` }, 'trace') : e.signal_id !== null ? el('a', { href: '/signals?state=' }, 'signals') : ''),
      ),
    );
    $('#events').replaceChildren(rows.length ? el('table', { class: 'timeline' }, el('thead', {}, head), el('tbody', {}, ...rows)) : el('p', { class: 'muted' }, 'Nothing for this account in the range.'));
    $('#credit').textContent = r.credit ?? '';
    status.textContent = `${r.events.length} event(s)`;
    document.body.dataset.loaded = '1';
  } catch (e) {
    status.textContent = (e as Error).message;
    status.className = 'error';
  }
}

function init(): void {
  void renderNav();
  const p = new URLSearchParams(location.search);
  const today = new Date().toISOString().slice(0, 10);
  ($('#user') as HTMLInputElement).value = p.get('user') ?? '';
  ($('#to') as HTMLInputElement).value = p.get('to') ?? today;
  ($('#from') as HTMLInputElement).value = p.get('from') ?? shiftDate(($('#to') as HTMLInputElement).value, -6);
  $('#range').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  void load();
}

init();
