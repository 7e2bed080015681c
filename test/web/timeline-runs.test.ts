// The account timeline folds runs of alike events that link to nothing into one row.
import { describe, it, expect } from 'vitest';
import { foldRuns, type TimelineEvent } from '../../web/src/lib/timeline-runs';

const ev = (at: number, kind: string, ip: string | null, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ at, kind, detail: `${kind} detail`, ip, country: ip ? 'RO' : null, message_id: null, signal_id: null, ...extra });

describe('foldRuns', () => {
  it('folds consecutive alike events, and never one that links to a trace or a signal', () => {
    const events = [
      ev(100, 'login_failed', '86.120.10.5'),
      ev(160, 'login_failed', '86.120.10.5'),
      ev(220, 'login_failed', '86.120.10.5'),
      ev(230, 'login_failed', '86.120.10.6'), // another address: a row of its own
      ev(240, 'signal', null, { signal_id: 7 }),
      ev(250, 'signal', null, { signal_id: 8 }),
      ev(300, 'submission', '1.2.3.4', { message_id: 1 }),
      ev(301, 'submission', '1.2.3.4', { message_id: 2 }),
      ev(400, 'login_failed', '86.120.10.5'),
    ];
    expect(foldRuns(events).map((r) => [r.event.at, r.lastAt, r.n])).toEqual([
      [100, 220, 3],
      [230, 230, 1],
      [240, 240, 1],
      [250, 250, 1],
      [300, 300, 1],
      [301, 301, 1],
      [400, 400, 1],
    ]);
  });

  it('puts a signal before the events of its own second, so it does not cut their run', () => {
    const events = [ev(100, 'login_failed', '86.120.10.5'), ev(100, 'signal', null, { signal_id: 7 }), ev(160, 'login_failed', '86.120.10.5'), ev(220, 'login_failed', '86.120.10.5')];
    expect(foldRuns(events).map((r) => [r.event.kind, r.n])).toEqual([
      ['signal', 1],
      ['login_failed', 3],
    ]);
  });
});
