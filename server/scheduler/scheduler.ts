// The jobs table (node-cron): rollup flush every minute (also moves the wall past midnight),
// retention purge of detail rows daily at 03:30 in the configured zone.
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import type { LiveFeed } from '../http/live';
import { flushRollups } from '../../core/rollup/rollup';
import { purgeDetailRows } from '../retention';
import { quotaJob } from './quota-job';
import { reportJobs } from './report-job';
import { purgeAudit } from '../queries/audit';
import { flushGeoDays } from '../../collectors/enrich/geo-rollup';
import { detectRecent } from '../signals-job';

export interface Job {
  name: string;
  schedule: string;
  run: () => void | Promise<void>;
}

export function jobs(deps: { db: Db; config: Config; live?: LiveFeed; now?: () => number; log?: (m: string) => void }): Job[] {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string) => process.stderr.write(m + '\n'));
  return [
    {
      name: 'rollup',
      schedule: '* * * * *',
      run: () => {
        flushGeoDays(deps.db, deps.config);
        flushRollups(deps.db, deps.config.timezone);
        deps.live?.refresh();
      },
    },
    { name: 'signals', schedule: '*/5 * * * *', run: () => void detectRecent(deps.db, deps.config, now()) },
    {
      name: 'retention',
      schedule: '30 3 * * *',
      run: () => {
        // Roll up first: the purge must never take rows that a dirty bucket still needs.
        flushRollups(deps.db, deps.config.timezone);
        const r = purgeDetailRows(deps.db, deps.config, Math.floor(now() / 1000));
        const audit = purgeAudit(deps.db, Math.floor(now() / 1000), deps.config.access.audit_retention_days);
        log(`postino: retention purge: ${JSON.stringify({ ...r, audit })}`);
      },
    },
    ...[quotaJob(deps)].filter((j): j is Job => j !== null),
    ...reportJobs(deps),
  ];
}

export function startScheduler(deps: Parameters<typeof jobs>[0]): { tasks: ScheduledTask[]; stop: () => Promise<void> } {
  const log = deps.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const tasks = jobs(deps).map((j) =>
    cron.schedule(
      j.schedule,
      async () => {
        try {
          await j.run();
        } catch (e) {
          log(`postino: job ${j.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      },
      { name: `postino-${j.name}`, timezone: deps.config.timezone, noOverlap: true },
    ),
  );
  return {
    tasks,
    stop: async () => {
      for (const t of tasks) await t.destroy();
    },
  };
}
