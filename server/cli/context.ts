// Shared plumbing for CLI commands: config + overrides, database, exit codes.
import type { Command } from 'commander';
import { loadConfig, ConfigError } from '../../core/config/load';
import type { Config } from '../../core/config/schema';
import { openDb, type Db } from '../../core/db/open';
import { isCalendarDate } from '../../core/time/local-time';

export interface CommonOptions {
  config?: string;
  db?: string;
  tz?: string;
}

/** An error the user can act on: printed without a stack trace, exit code 1. */
export class UsageError extends Error {}

export function resolveConfig(opts: CommonOptions): Config {
  return loadConfig(opts.config, { ...(opts.tz !== undefined ? { tz: opts.tz } : {}), ...(opts.db !== undefined ? { db: opts.db } : {}) });
}

export function openConfiguredDb(config: Config): Db {
  return openDb(config.database);
}

export function isUserError(e: unknown): e is Error {
  return e instanceof ConfigError || e instanceof UsageError || (e instanceof Error && e.name === 'IngestError');
}

export function parseDate(value: string, name: string): string {
  if (!isCalendarDate(value)) {
    throw new UsageError(`${name}: expected a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** A command over a range of days: `--from`, `--to` and the common `--config`, `--db`, `--tz`. */
export function dayRangeCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone that cuts the days');
}

/** `--from`/`--to` of a command over days: both dates, in order, at most `maxDays` apart. */
export function parseDayRange(opts: { from: string; to: string }, maxDays = 3660): { from: string; to: string } {
  const from = parseDate(opts.from, '--from');
  const to = parseDate(opts.to, '--to');
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > maxDays) throw new UsageError(`range too long: at most ${maxDays === 3660 ? '10 years' : `${maxDays} days`}`);
  return { from, to };
}

export function parsePositive(value: string, name: string, { integer = false } = {}): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name}: expected a ${integer ? 'whole ' : ''}number > 0, got "${value}"`);
  }
  return n;
}
