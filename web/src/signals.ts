// Signals for operators: the list for a range and state, with acknowledge (a note is required),
// close and reopen, and the evidence: the account's timeline, or a search for the address.
import { getJson, ApiError } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { shiftDate } from '../../core/time/local-time';

interface SignalRow {
  id: number;
  kind: string;
  subject: string;
  severity: string;
  first_at: number;
  last_at: number;
  count: number;
  countries?: string[];
  detail: string;
  state: string;
  note: string | null;
  state_by: string | null;
}

const time = (t: number): string => new Date(t * 1000).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });

async function setState(id: number, state: string, note: string | undefined): Promise<void> {
  const res = await fetch(`/api/signals/${id}/state`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, credentials: 'same-origin', body: JSON.stringify(note ? { state, note } : { state }) });
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
}

/** Evidence: an account's timeline for a user name, a search for an address. */
function evidence(s: SignalRow): HTMLElement {
  const from = shiftDate(new Date(s.first_at * 1000).toISOString().slice(0, 10), -1);
  const to = new Date(s.last_at * 1000 + 86_400_000).toISOString().slice(0, 10);
  if (s.subject.includes('@')) return el('a', { href: `/account?user=${encodeURIComponent(s.subject)}&from=${from}&to=${to}` }, 'timeline');
  return el('a', { href: `/trace?q=${encodeURIComponent(s.subject)}&from=${from}&to=${to}` }, 'search');
}

function row(s: SignalRow, reload: () => void): HTMLTableRowElement {
  const note = el('input', { type: 'text', placeholder: 'note (to acknowledge)', 'aria-label': 'note' });
  const act = (state: string): HTMLButtonElement => {
    const b = el('button', { type: 'button', 'data-action': state }, state === 'acknowledged' ? 'Acknowledge' : state === 'closed' ? 'Close' : 'Reopen');
    b.addEventListener('click', () => {
      setState(s.id, state, note.value.trim() || undefined)
        .then(reload)
        .catch((e: Error) => {
          $('#status').textContent = e.message;
          $('#status').className = 'error';
        });
    });
    return b;
  };
  const actions = el('td', { class: 'actions' });
  if (s.state !== 'closed') actions.append(note, act('acknowledged'), act('closed'));
  else actions.append(act('open'));
  const tr = el(
    'tr',
    { class: `state-${s.state}` },
    el('td', {}, time(s.first_at)),
    el('td', {}, time(s.last_at)),
    el('td', { class: `sev-${s.severity}` }, s.severity),
    el('td', {}, s.kind),
    el('td', {}, s.subject),
    el('td', { class: 'num' }, s.count),
    el('td', {}, (s.countries ?? []).join(', ')),
    el('td', { class: 'why' }, s.detail),
    el('td', {}, s.state, s.note ? el('div', { class: 'muted' }, `${s.state_by ?? ''}: ${s.note}`) : null),
    el('td', {}, evidence(s)),
    actions,
  );
  tr.dataset.kind = s.kind;
  return tr;
}

async function load(): Promise<void> {
  const from = ($('#from') as HTMLInputElement).value;
  const to = ($('#to') as HTMLInputElement).value;
  const state = ($('#state') as HTMLSelectElement).value;
  history.replaceState(null, '', `/signals?from=${from}&to=${to}&state=${state}`);
  const status = $('#status');
  status.textContent = 'loading…';
  status.className = 'muted';
  try {
    const r = await getJson<{ signals: SignalRow[]; credit: string | null }>('/api/signals', { from, to, state: state || undefined });
    const head = el('tr', {}, ...['First', 'Last', 'Severity', 'Kind', 'Subject', 'Count', 'Countries', 'Why', 'State', 'Evidence', ''].map((h) => el('th', {}, h)));
    $('#list').replaceChildren(r.signals.length ? el('table', { class: 'signals' }, el('thead', {}, head), el('tbody', {}, ...r.signals.map((s) => row(s, () => void load())))) : el('p', { class: 'muted' }, 'No signals.'));
    $('#credit').textContent = r.credit ?? '';
    status.textContent = `${r.signals.length} signal(s)`;
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
  ($('#to') as HTMLInputElement).value = p.get('to') ?? today;
  ($('#from') as HTMLInputElement).value = p.get('from') ?? shiftDate(($('#to') as HTMLInputElement).value, -6);
  if (p.has('state')) ($('#state') as HTMLSelectElement).value = p.get('state') ?? '';
  $('#range').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  void load();
}

init();
