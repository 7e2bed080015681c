// The shared navigation bar; places for the pages of later issues.
import { el } from './dom';
import { getJson } from './api';

const links: Array<[string, string, string, boolean]> = [
  ['overview', '/', 'Overview', false],
  ['wall', '/wall', 'Wall', false],
  ['trace', '/trace', 'Trace', false],
  ['signals', '/signals', 'Signals', false],
  ['sla', '/sla', 'SLA', false],
  ['cost', '/cost', 'Cost', false],
  ['reports', '/reports', 'Reports', false],
];

export async function renderNav(): Promise<{ user: string; role: string } | null> {
  const nav = document.getElementById('nav');
  if (!nav) return null;
  const page = nav.dataset.page ?? location.pathname.slice(1);
  nav.replaceChildren(el('span', { class: 'brand' }, 'postino'));
  for (const [id, href, label, later] of links) {
    const a = el('a', { href, class: [id === page ? 'current' : '', later ? 'later' : ''].join(' ').trim() }, label);
    a.dataset.nav = id;
    nav.append(a);
  }
  nav.append(el('span', { class: 'spacer' }));
  try {
    const me = await getJson<{ user: string; role: string }>('/api/me');
    if (me.role !== 'operator' && me.role !== 'admin') for (const id of ['trace', 'signals']) nav.querySelector(`[data-nav="${id}"]`)?.remove();
    const form = el('form', { method: 'post', action: '/logout' }, el('button', { type: 'submit' }, 'Sign out'));
    nav.append(el('span', { class: 'who' }, `${me.user} (${me.role})`), form);
    return me;
  } catch {
    return null;
  }
}
