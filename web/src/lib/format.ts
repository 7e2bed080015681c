// Number and time formatting shared by the pages (pure: tested in node).
const intFmt = new Intl.NumberFormat('en-US');

export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : intFmt.format(Math.round(n));
}

/** 1234567 → "1.23 M", 12345 → "12,345": big numbers stay readable on the wall. */
export function formatCompact(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  if (Math.abs(n) >= 1_000_000) return `${(n / 1_000_000).toFixed(2)} M`;
  return intFmt.format(Math.round(n));
}

export function formatPct(r: number | null | undefined, digits = 1): string {
  return r === null || r === undefined ? '–' : `${(r * 100).toFixed(digits)}%`;
}

/** unix seconds → "HH:MM:SS" or "YYYY-MM-DD HH:MM:SS" in a time zone. */
export function formatTime(at: number, tz: string, withDate = true): string {
  const d = new Date(at * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const g = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const time = `${g('hour')}:${g('minute')}:${g('second')}`;
  return withDate ? `${g('year')}-${g('month')}-${g('day')} ${time}` : time;
}

export function hourLabel(at: number, tz: string): string {
  return formatTime(at, tz, false).slice(0, 5);
}

