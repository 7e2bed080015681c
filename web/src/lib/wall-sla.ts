// The wall's SLA part: availability today (the worst service), the month's error budget, the
// open incidents and a strip with each service's state. No personal data: services and server
// names only.
import { getJson } from './api';
import { el } from './dom';
import type { SlaNow } from '../../../sla/now';

function hhmm(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export async function renderSla(setFigure: (name: string, text: string, sub?: string) => void): Promise<void> {
  let now: SlaNow;
  try {
    now = await getJson<SlaNow>('/api/sla/now');
  } catch {
    return; // the next round tries again; the tiles keep their last values
  }
  const known = now.services.filter((s) => s.availability_today !== null);
  const worst = [...known].sort((a, b) => a.availability_today! - b.availability_today!)[0];
  const budget = [...now.services].filter((s) => s.budget_left_s !== null).sort((a, b) => a.budget_left_s! - b.budget_left_s!)[0];
  const avail = document.querySelector('[data-figure="availability"]');
  avail?.classList.remove('placeholder');
  setFigure(
    'availability',
    worst ? `${worst.availability_today_pct}%` : '–',
    budget ? `error budget ${budget.budget_left_s! < 0 ? 'overspent' : 'left'}: ${Math.abs(budget.budget_left_s!).toFixed(1)} s of ${budget.budget_s!.toFixed(1)} s this month (${budget.service})` : 'no service known yet',
  );
  const inc = document.querySelector('[data-figure="incidents"]');
  inc?.classList.remove('placeholder');
  inc?.closest('.tile')?.classList.toggle('alert', now.open_incidents.length > 0);
  setFigure(
    'incidents',
    String(now.open_incidents.length),
    now.open_incidents.length ? now.open_incidents.map((i) => `${i.service} since ${hhmm(i.start, now.timezone)} (${i.hosts.join(', ')})`).join('; ') : 'none open',
  );
  const strip = document.getElementById('sla-strip');
  strip?.replaceChildren(
    ...now.services.map((s) => {
      const chip = el('div', { class: `chip ${s.state}${s.page ? ' page' : ''}` }, el('span', { class: 'name' }, s.service), el('span', { class: 'pct' }, `${s.availability_today_pct}%`), el('span', { class: 'state' }, s.page ? 'PAGE' : s.state));
      chip.dataset.service = s.service;
      chip.dataset.state = s.state;
      return chip;
    }),
  );
}
