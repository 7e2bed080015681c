// Shared plumbing for CLI commands: config + overrides, database, exit codes.
import { loadConfig, ConfigError } from '../config/load';
import type { Config } from '../config/schema';
import { openDb, type Db } from '../db/open';

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

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDate(value: string, name: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${name}: expected a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

export function parsePositive(value: string, name: string, { integer = false } = {}): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name}: expected a ${integer ? 'whole ' : ''}number > 0, got "${value}"`);
  }
  return n;
}
