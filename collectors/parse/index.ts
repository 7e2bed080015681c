// Public face of the parsers: a raw line in, one typed event out. Pure: no clock, no I/O.
// (Implementation in envelope.ts and the per-program modules.)
export type { Envelope, MailEvent, EventKind, EventOf } from './events';

/** Resolves the year of a traditional syslog stamp (`Mon dd hh:mm:ss`), which has none. */
export type YearResolver = (month: number) => number;

export interface ParseContext {
  /** IANA zone of stamps without an offset */
  tz: string;
  year: YearResolver;
}
