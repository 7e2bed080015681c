// Open signals for /metrics, as counts by kind and severity (no subjects), so an alert can fire
// on them. Every kind and severity is written, zeros too: a series that vanishes cannot alert.
import type { Db } from '../../core/db/open';
import { openSignalCounts } from '../../signals/queries';
import { severities, signalKinds } from '../../signals/types';

export function signalMetricsText(db: Db): string {
  const n = new Map(openSignalCounts(db).map((c) => [`${c.kind}|${c.severity}`, c.n]));
  const lines = ['# HELP postino_signals_open signals not yet acknowledged or closed, by kind and severity', '# TYPE postino_signals_open gauge'];
  for (const k of signalKinds) for (const s of severities) lines.push(`postino_signals_open{kind="${k}",severity="${s}"} ${n.get(`${k}|${s}`) ?? 0}`);
  return lines.join('\n') + '\n';
}
