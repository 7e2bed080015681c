// The scheduled snapshot: a configured command (run without a shell) or file becomes today's
// snapshot in the configured zone; without a source there is no job.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { makeEnv } from '../helpers/env';
import { jobs } from '../../server/scheduler/scheduler';
import { repoRoot } from '../helpers/cli';

const fixture = join(repoRoot, 'test', 'fixtures', 'doveadm', 'quota-get-A.tsv');
// 2026-11-29 23:30 UTC is already 30 November in Rome
const NOW = Date.parse('2026-11-29T23:30:00Z');

describe('quota snapshot job', () => {
  it('runs the configured command on its schedule and stores today', async () => {
    const env = await makeEnv([], { budget: { quota_snapshots: { command: ['cat', fixture], schedule: '5 1 * * *' } } });
    const j = jobs({ db: env.db, config: env.config, now: () => NOW, log: () => {} }).find((x) => x.name === 'quota-snapshot');
    expect(j?.schedule).toBe('5 1 * * *');
    await j!.run();
    expect(env.db.prepare('SELECT date, count(*) AS n, sum(used_bytes) AS used FROM quota_snapshots GROUP BY date').all()).toEqual([{ date: '2026-11-30', n: 2, used: 26 * 1024 }]);
    env.close();
  });

  it('reads a file too; no source, no job', async () => {
    const env = await makeEnv([], { budget: { quota_snapshots: { file: fixture } } });
    const j = jobs({ db: env.db, config: env.config, now: () => NOW, log: () => {} }).find((x) => x.name === 'quota-snapshot')!;
    expect(j.schedule).toBe('15 2 * * *');
    await j.run();
    expect((env.db.prepare('SELECT count(*) AS n FROM quota_snapshots').get() as { n: number }).n).toBe(2);
    env.close();
    const none = await makeEnv();
    expect(jobs({ db: none.db, config: none.config }).map((x) => x.name)).not.toContain('quota-snapshot');
    none.close();
  });
});
