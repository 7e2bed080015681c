// An account's timeline folds runs of alike events (forty failed logins a minute apart from one
// address) into one row with a count and a time span: the first success from a new country then
// sits next to the run that came before it, not a screen below.

export interface TimelineEvent {
  at: number;
  kind: string;
  detail: string;
  ip: string | null;
  country: string | null;
  message_id: number | null;
  signal_id: number | null;
}

export interface TimelineRow<E extends TimelineEvent> {
  event: E;
  /** time of the run's last event (= event.at for a single one) */
  lastAt: number;
  n: number;
}

/**
 * Consecutive events of the same kind, detail, address and country that link to nothing, folded.
 * A signal goes before the events of its own second: it opens the run that raised it (its time
 * is the run's first), rather than cutting the run in two.
 */
export function foldRuns<E extends TimelineEvent>(events: readonly E[]): Array<TimelineRow<E>> {
  const ordered = [...events].sort((a, b) => a.at - b.at || Number(b.signal_id !== null) - Number(a.signal_id !== null));
  const rows: Array<TimelineRow<E>> = [];
  for (const e of ordered) {
    const last = rows[rows.length - 1];
    const linked = e.message_id !== null || e.signal_id !== null;
    if (last && !linked && last.event.message_id === null && last.event.signal_id === null && last.event.kind === e.kind && last.event.detail === e.detail && last.event.ip === e.ip && last.event.country === e.country) {
      last.n++;
      last.lastAt = e.at;
    } else rows.push({ event: e, lastAt: e.at, n: 1 });
  }
  return rows;
}
