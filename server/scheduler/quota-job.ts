// The scheduled quota snapshot (budget.quota_snapshots): run the command (no shell) or read the
// file, and store it as today's snapshot in the configured zone.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { localDate } from '../../core/time/local-time';
import { parseDoveadmQuota, storeSnapshot } from '../../cost/quota-import';
import type { Job } from './scheduler';

const run = promisify(execFile);

/** Reads one snapshot from the configured source; null when none is configured. */
export async function readQuotaSource(config: Config): Promise<string | null> {
  const src = config.budget.quota_snapshots;
  if (src.command) {
    const [cmd, ...args] = src.command;
    const { stdout } = await run(cmd!, args, { maxBuffer: 256 << 20, timeout: 30 * 60_000 });
    return stdout;
  }
  if (src.file) return readFile(src.file, 'utf8');
  return null;
}

export function quotaJob(deps: { db: Db; config: Config; now?: () => number; log?: (m: string) => void }): Job | null {
  const src = deps.config.budget.quota_snapshots;
  if (!src.command && !src.file) return null;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string) => process.stderr.write(m + '\n'));
  return {
    name: 'quota-snapshot',
    schedule: src.schedule,
    run: async () => {
      const text = await readQuotaSource(deps.config);
      if (text === null) return;
      const r = storeSnapshot(deps.db, localDate(deps.config.timezone, Math.floor(now() / 1000)), parseDoveadmQuota(text));
      log(`postino: quota snapshot ${r.date}: ${r.mailboxes} mailboxes`);
    },
  };
}
