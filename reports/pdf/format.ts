// Number, percentage, money, duration and date formatting for the report, per language.
import type { ReportLanguage } from '../../core/config/reports-schema';

const locale = (lang: ReportLanguage): string => (lang === 'it' ? 'it-IT' : 'en-GB');

export function fmtInt(lang: ReportLanguage, n: number | null): string {
  return n === null ? '–' : new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0, useGrouping: 'always' } as Intl.NumberFormatOptions).format(n);
}

export function fmtPct(lang: ReportLanguage, f: number | null, digits = 1): string {
  return f === null ? '–' : `${new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(f * 100)}%`;
}

/** Availability to 5 decimals in percent (99.99900%): enough to tell five nines apart. */
export function fmtAvailability(lang: ReportLanguage, f: number | null): string {
  return fmtPct(lang, f, 5);
}

export function fmtMoney(lang: ReportLanguage, n: number | null, currency: string): string {
  if (n === null) return '–';
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency, useGrouping: 'always', minimumFractionDigits: 2, maximumFractionDigits: n !== 0 && Math.abs(n) < 0.1 ? 4 : 2 } as Intl.NumberFormatOptions).format(n);
}

/** A relative change with its arrow: ▲ +12.3%, ▼ −4.0%, ► 0.0%; rates in percentage points. */
export function fmtChange(lang: ReportLanguage, change: number | null, kind: 'relative' | 'points'): string {
  if (change === null) return 'n/d';
  const v = change * 100;
  const rounded = Math.round(v * 10) / 10;
  const arrow = rounded > 0 ? '▲' : rounded < 0 ? '▼' : '►';
  const num = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(rounded);
  return `${arrow} ${num}${kind === 'points' ? (lang === 'it' ? ' p.p.' : ' pp') : '%'}`;
}

export function fmtDuration(lang: ReportLanguage, s: number | null): string {
  if (s === null) return lang === 'it' ? 'in corso' : 'ongoing';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${sec} s`;
  return `${sec} s`;
}

/** An ISO instant as local date and time in the report's zone: 2026-03-04 14:05. */
export function fmtInstant(tz: string, iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t));
  const get = (k: string): string => parts.find((p) => p.type === k)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function monthName(lang: ReportLanguage, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
}
