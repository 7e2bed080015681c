// `promtool check metrics` (Debian's prometheus package) over a /metrics text: its findings,
// '' when there are none. null when promtool is not installed (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = '/usr/bin/promtool';
export const havePromtool = existsSync(PROMTOOL);

export function promtoolFindings(metricsText: string): string | null {
  if (!havePromtool) return null;
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
  const out = (r.stdout + r.stderr).trim();
  return r.status === 0 && out === '' ? '' : out || `promtool exited with ${r.status}`;
}
