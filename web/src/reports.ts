// The reports page: the reports folder's months with their PDFs, and generation on demand.
import { renderNav } from './lib/nav';
import { $, el, clear, setText } from './lib/dom';
import { getJson, ApiError } from './lib/api';

interface ReportList {
  language: string;
  schedule: string | null;
  tz: string;
  mail: boolean;
  reports: Array<{ month: string; generated_at: string | null; has_data: boolean | null; pdfs: Array<{ lang: string; bytes: number }>; urls: Record<string, string> }>;
}

const status = $('#status');

async function load(): Promise<void> {
  const list = await getJson<ReportList>('/api/reports');
  setText(
    $('#schedule'),
    list.schedule
      ? `A report of last month is written on schedule "${list.schedule}" (${list.tz})${list.mail ? ' and mailed to the configured recipients' : ''}.`
      : 'No scheduled report (reports.scheduled is false).',
  );
  ($('#lang') as HTMLSelectElement).value = list.language;
  const body = $('#reports tbody');
  clear(body);
  $('#empty').hidden = list.reports.length > 0;
  for (const r of list.reports) {
    const links = el('td');
    for (const p of r.pdfs) links.append(el('a', { href: r.urls[p.lang] ?? '#', download: '' }, `PDF (${p.lang}, ${Math.max(1, Math.round(p.bytes / 1024))} KB)`), ' ');
    body.append(
      el('tr', {}, el('td', {}, r.month), el('td', {}, r.generated_at ? r.generated_at.slice(0, 16).replace('T', ' ') + ' UTC' : ''), el('td', {}, r.has_data === null ? '' : r.has_data ? 'yes' : 'no data'), links),
    );
  }
}

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

($('#month') as HTMLInputElement).value = lastMonth();

$('#generate').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const button = $('#go') as HTMLButtonElement;
  button.disabled = true;
  setText(status, 'Generating…');
  status.classList.replace('error', 'muted');
  const payload = { month: ($('#month') as HTMLInputElement).value, lang: ($('#lang') as HTMLSelectElement).value, recompute: ($('#recompute') as HTMLInputElement).checked };
  void fetch('/api/reports', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, credentials: 'same-origin', body: JSON.stringify(payload) })
    .then(async (res) => {
      const body = (await res.json().catch(() => ({}))) as { error?: string; month?: string; has_data?: boolean; reused?: boolean };
      if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
      setText(status, `Report ${body.month} ready${body.has_data ? '' : ' (no data for that month)'}${body.reused ? ', figures from the stored model' : ''}.`);
      await load();
    })
    .catch((e: unknown) => {
      setText(status, e instanceof Error ? e.message : String(e));
      status.classList.replace('muted', 'error');
    })
    .finally(() => {
      button.disabled = false;
    });
});

void renderNav();
void load().catch((e: unknown) => {
  setText(status, e instanceof Error ? e.message : String(e));
  status.classList.replace('muted', 'error');
});
