// Placeholder pages for the SLA, cost and reports issues.
import { renderNav } from './lib/nav';
const nav = document.getElementById('nav');
if (nav) nav.dataset.page = location.pathname.slice(1);
const title = document.getElementById('title');
const names: Record<string, string> = { '/sla': 'Availability and SLA', '/cost': 'Cost per mailbox', '/reports': 'Monthly reports' };
if (title) title.textContent = `${names[location.pathname] ?? 'Coming later'} (coming later)`;
void renderNav();
