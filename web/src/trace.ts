// Operator troubleshooting: search, result table, one message's timeline across hosts.
import { getJson } from './lib/api';
import { renderNav } from './lib/nav';
import { el, $ } from './lib/dom';
import { formatTime } from './lib/format';
import { recipientsCell } from './lib/recipients';

// Response shapes, shared with the server (type-only imports: nothing of it is bundled).
import type { SearchResult } from '../../server/queries/search';
import type { Trace } from '../../server/queries/trace';

// Times are shown in the service's zone; the API reports it with the summary.
let tz = 'Europe/Rome';

function td(text: string | number | null | undefined, cls?: string): HTMLTableCellElement {
  return el('td', cls ? { class: cls } : {}, text === null || text === undefined ? '' : String(text));
}

function statusCell(s: string): HTMLTableCellElement {
  return td(s, `status-${s.split(' ')[0]}`);
}

async function showTrace(id: number): Promise<void> {
  const t = await getJson<Trace>(`/api/trace/${id}`);
  const root = t.messages.find((m) => m.id === t.root_id) ?? t.messages[0]!;
  $('#trace-card').hidden = false;
  $('#trace-title').textContent = `${root.host} ${root.qid}`;
  const facts: Array<[string, string]> = [
    ['Sender', root.sender ?? ''],
    ['Client', `${root.client_host ?? ''} [${root.client_ip ?? ''}]`],
    ['Message-ID', root.message_id ?? ''],
    ['Queue ids', t.messages.map((m) => `${m.host}/${m.qid} (${m.origin})`).join(' → ')],
    ['Verdict', t.verdicts.map((v) => `${v.verdict}${v.hits !== null ? ` (${v.hits})` : ''}`).join(', ') || (root.verdict ?? '')],
    ['Status', root.status],
  ];
  if (root.sasl_username) facts.push(['SASL user', root.sasl_username]);
  $('#trace-summary').replaceChildren(el('table', {}, el('tbody', {}, ...facts.map(([k, v]) => el('tr', {}, el('th', {}, k), td(v))))));
  $('#recipients tbody').replaceChildren(
    ...t.recipients.map((r) => el('tr', {}, td(r.recipient), statusCell(r.status), td(`${r.host} (${r.hop})`), td(r.relay), td(r.attempts), td(r.reply, 'mono'))),
  );
  $('#timeline tbody').replaceChildren(...t.lines.map((l) => el('tr', {}, td(formatTime(Math.floor(l.at), tz)), td(l.host), td(l.program), td(l.text, 'text'))));
  document.body.dataset.traced = String(id);
}

async function runSearch(q: string, from: string, to: string, page: number): Promise<void> {
  const status = $('#status');
  status.className = 'muted';
  status.textContent = 'searching…';
  try {
    const r = await getJson<SearchResult>('/api/search', { q, from, to, page });
    $('#results-card').hidden = false;
    $('#total').textContent = `(${r.total} found, ${r.kind})`;
    const body = $('#results tbody');
    body.replaceChildren(
      ...r.messages.map((m) => {
        const tr = el(
          'tr',
          { class: 'clickable', 'data-id': String(m.id) },
          td(formatTime(m.first_at, tz)),
          td(m.host),
          td(m.qid, 'qid'),
          td(m.origin),
          td(m.sender),
          td(recipientsCell(m.recipients, r.kind === 'address' ? q : null)),
          td(`${m.client_host ?? ''} [${m.client_ip ?? ''}]`),
          td(m.verdict),
          statusCell(m.status),
        );
        tr.addEventListener('click', () => {
          for (const x of body.querySelectorAll('tr.selected')) x.classList.remove('selected');
          tr.classList.add('selected');
          const u = new URL(location.href);
          u.searchParams.set('id', String(m.id));
          history.replaceState(null, '', u);
          void showTrace(m.id);
        });
        return tr;
      }),
    );
    const pager = $('#pager');
    pager.replaceChildren();
    const pages = Math.ceil(r.total / r.page_size);
    if (pages > 1) {
      if (page > 1) pager.append(pagerButton('‹ previous', () => runSearch(q, from, to, page - 1)));
      pager.append(el('span', { class: 'muted' }, `page ${page} of ${pages}`));
      if (page < pages) pager.append(pagerButton('next ›', () => runSearch(q, from, to, page + 1)));
    }
    $('#rejects-block').hidden = r.rejects.length === 0;
    $('#rejects tbody').replaceChildren(
      ...r.rejects.map((x) =>
        el('tr', {}, td(formatTime(x.at, tz)), td(x.host), td(`${x.client_host ?? ''} [${x.client_ip ?? ''}]`), td(x.helo, 'mono'), td(x.sender), td(x.recipient), td(x.code), td(`${x.reason_class}: ${x.reply}`)),
      ),
    );
    status.textContent = '';
  } catch (e) {
    status.textContent = (e as Error).message;
    status.className = 'error';
  }
}

function pagerButton(label: string, fn: () => Promise<void>): HTMLButtonElement {
  const b = el('button', { type: 'button' }, label);
  b.addEventListener('click', () => void fn());
  return b;
}

async function init(): Promise<void> {
  void renderNav();
  try {
    tz = (await getJson<{ tz: string }>('/api/hourly')).tz;
  } catch {
    /* keep the default zone */
  }
  const params = new URLSearchParams(location.search);
  const qIn = $('#q') as HTMLInputElement;
  const fromIn = $('#from') as HTMLInputElement;
  const toIn = $('#to') as HTMLInputElement;
  qIn.value = params.get('q') ?? '';
  fromIn.value = params.get('from') ?? '';
  toIn.value = params.get('to') ?? '';
  $('#search').addEventListener('submit', (e) => {
    e.preventDefault();
    const u = new URL(location.href);
    u.search = '';
    u.searchParams.set('q', qIn.value.trim());
    if (fromIn.value) u.searchParams.set('from', fromIn.value);
    if (toIn.value) u.searchParams.set('to', toIn.value);
    history.replaceState(null, '', u);
    void runSearch(qIn.value.trim(), fromIn.value, toIn.value, 1);
  });
  if (qIn.value) await runSearch(qIn.value, fromIn.value, toIn.value, 1);
  const id = Number(params.get('id'));
  if (Number.isInteger(id) && id > 0) await showTrace(id);
}

void init();
