// Pure data → chart.js configs and formatting used by the pages.
import { describe, it, expect } from 'vitest';
import { volumesChart, funnelChart, loginsChart, wallSmtpChart, spamRateChart, heatColor } from '../../web/src/lib/charts';
import { formatCompact, formatPct, formatTime, hourLabel } from '../../web/src/lib/format';
import { shiftDate, daysBetween } from '../../core/time/local-time';

const day = (date: string, n: number) => ({ date, delivered: n, spam_tagged: 2, spam_blocked: 3, virus_blocked: 0, bounced: 1, rejected: 9, spam_rate: 5 / 5 / 2 });

describe('charts', () => {
  it('stacks the daily volumes per date', () => {
    const c = volumesChart([day('2026-11-28', 10), day('2026-11-29', 12)]);
    expect(c.type).toBe('bar');
    expect(c.data.labels).toEqual(['2026-11-28', '2026-11-29']);
    expect(c.data.datasets.map((d) => d.label)).toEqual(['delivered', 'spam tagged', 'spam blocked', 'virus blocked', 'bounced']);
    expect(c.data.datasets[0]!.data).toEqual([10, 12]);
    expect((c.options?.scales as { y: { stacked: boolean } }).y.stacked).toBe(true);
  });

  it('spam rate in percent with gaps for empty days', () => {
    const c = spamRateChart([{ ...day('a', 1), spam_rate: 0.25 }, { ...day('b', 1), spam_rate: null }]);
    expect(c.data.datasets[0]!.data).toEqual([25, null]);
  });

  it('funnel on a log axis, logins per protocol with failures', () => {
    const f = funnelChart([{ label: 'SMTP connections', n: 1000 }, { label: 'delivered', n: 16 }]);
    expect((f.options?.scales as { x: { type: string } }).x.type).toBe('logarithmic');
    const l = loginsChart([
      { date: 'd1', protocol: 'imap', logins: 5, failures: 1 },
      { date: 'd1', protocol: 'pop3', logins: 2, failures: 0 },
      { date: 'd2', protocol: 'imap', logins: 7, failures: 2 },
    ]);
    expect(l.data.labels).toEqual(['d1', 'd2']);
    expect(l.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['imap', [5, 7]],
      ['pop3', [2, 0]],
      ['failures', [1, 2]],
    ]);
  });

  it('wall charts use the dark theme and 24 hourly labels', () => {
    const hours = Array.from({ length: 24 }, (_, i) => ({ label: `${String(i).padStart(2, '0')}:00`, connections: i, rejected: 1, delivered: 2, spam_blocked: 0, spam_tagged: 0 }));
    const c = wallSmtpChart(hours);
    expect(c.data.labels).toHaveLength(24);
    expect(c.options?.animation).toBe(false);
  });

  it('heat colours go from white to blue', () => {
    expect(heatColor(0, 10)).toBe('rgb(255, 255, 255)');
    expect(heatColor(10, 10)).toBe('rgb(11, 92, 173)');
    expect(heatColor(5, 0)).toBe('rgb(255, 255, 255)');
  });
});

describe('format', () => {
  it('formats counts, rates and times', () => {
    expect(formatCompact(1_234_567)).toBe('1.23 M');
    expect(formatCompact(16000)).toBe('16,000');
    expect(formatCompact(null)).toBe('–');
    expect(formatPct(0.1234)).toBe('12.3%');
    expect(formatTime(Date.UTC(2026, 10, 29, 13, 5, 9) / 1000, 'Europe/Rome')).toBe('2026-11-29 14:05:09');
    expect(hourLabel(Date.UTC(2026, 10, 28, 23) / 1000, 'Europe/Rome')).toBe('00:00');
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(2);
  });
});
