// Query-parameter schemas shared by the routes. A date is YYYY-MM-DD (a calendar day in
// config.timezone); a range is at most MAX_RANGE_DAYS days.
import { z } from 'zod';
import { badRequest, describeZod } from './errors';
import { localDate, dayBounds, shiftDate, daysBetween, isCalendarDate } from '../../core/time/local-time';

export const MAX_RANGE_DAYS = 400;

export const dateParam = z.string({ message: 'expected a date YYYY-MM-DD' }).refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD');

/**
 * Validates query (or route) parameters. An unknown parameter is a 400 too, so that a typo
 * (`form=` for `from=`) is not silently answered with the defaults. `token` (the wall kiosk's
 * credential, read by the auth middleware) is allowed everywhere.
 */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  let input = query;
  let strictSchema: z.ZodType = schema;
  if (schema instanceof z.ZodObject) {
    strictSchema = schema.strict();
    if (query && typeof query === 'object' && 'token' in query) {
      const { token: _token, ...rest } = query as Record<string, unknown>;
      input = rest;
    }
  }
  const r = strictSchema.safeParse(input);
  if (!r.success) throw badRequest(describeZod(r.error));
  // strict() only adds the unknown-key check: the output type is the schema's own.
  return r.data as z.infer<T>;
}



export interface Range {
  from: string;
  to: string;
  start: number; // unix seconds, start of `from` in tz
  end: number; // unix seconds, end of `to` in tz (exclusive)
}

/**
 * `from`/`to` with defaults (the last `defaultDays` days up to today) and the checks every
 * range gets: from <= to, at most MAX_RANGE_DAYS days.
 */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, tz: string, nowMs: number, defaultDays = 30): Range {
  const today = localDate(tz, Math.floor(nowMs / 1000));
  if (q.from !== undefined) assertNotFuture(q.from, 'from', tz, nowMs);
  if (q.to !== undefined) assertNotFuture(q.to, 'to', tz, nowMs);
  const to = q.to ?? (q.from ? minDate(shiftDate(q.from, defaultDays - 1), shiftDate(today, 1)) : today);
  const from = q.from ?? shiftDate(to, -(defaultDays - 1));
  if (from > to) throw badRequest(`from (${from}) is after to (${to})`);
  const n = daysBetween(from, to);
  if (n > MAX_RANGE_DAYS) throw badRequest(`range of ${n} days: at most ${MAX_RANGE_DAYS} days`);
  return { from, to, start: dayBounds(tz, from)[0], end: dayBounds(tz, to)[1] };
}

/**
 * No log line can be dated after tomorrow (a zone ahead of the server's, a clock a little
 * fast): later days are a client's mistake, answered 400 rather than with a year of zeros.
 */
export function assertNotFuture(date: string, name: string, tz: string, nowMs: number): void {
  const tomorrow = shiftDate(localDate(tz, Math.floor(nowMs / 1000)), 1);
  if (date > tomorrow) throw badRequest(`${name}: ${date} is in the future (the latest day is ${tomorrow})`);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export const rangeQuery = z.object({ from: dateParam.optional(), to: dateParam.optional() });
