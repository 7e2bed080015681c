// `postino ingest` is the bulk path: the postscreen lane in the reading thread, the rest in an
// ingest thread, several batches to a transaction, and (into an empty database) indexes built
// at the end. It must give exactly what the one-thread path (as `follow` runs it) gives, and
// survive SIGKILL anywhere: nothing lost, nothing counted twice, no index lost.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, figuresOf, progress, postino, writeConfigFile, waitFor, sleep, YEAR } from '../helpers/follow-env';
import { openDb, type Db } from '../../core/db/open';
import { Rng } from '../../collectors/generate/prng';
import { connectsByCountry, talliedConnectsByCountry } from '../helpers/connect-countries';

let env: ReturnType<typeof tmpDir>;
let lines: string[];
let file: string;
let cfg: string;
let reference: ReturnType<typeof figuresOf>;

beforeAll(async () => {
  env = tmpDir('bulk');
  lines = await generatedLines(0.02, env.dir);
  file = join(env.dir, 'mail.log');
  writeFileSync(file, lines.join('\n') + '\n');
  cfg = writeConfigFile(env.dir);
  const db = await oneShot(lines, env.dir, 'reference');
  reference = figuresOf(db);
  db.close();
});
afterAll(() => env.cleanup());

/** Every index of the schema, by name and definition. */
function indexes(db: Db): Array<{ name: string; sql: string }> {
  return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as Array<{ name: string; sql: string }>;
}

/** Every reject row but its id: NOQUEUE rejects are read by the reading thread, the others by the ingest thread. */
function rejects(db: Db): unknown[] {
  return db
    .prepare(
      `SELECT at, host, service, action, qid, message_row, stage, client_ip, client_host, helo, sender, recipient, code, enhanced, reason_class, reply, greylist
         FROM rejects ORDER BY at, host, client_ip, recipient, sender, reply, qid, stage`,
    )
    .all();
}

function tallies(db: Db): unknown {
  return db.prepare(`SELECT metric, sum(n) AS n FROM connection_tally GROUP BY metric ORDER BY metric`).all();
}

/** The country tallies, and their connections per hour beside connection_tally's. */
function countries(db: Db): { rows: unknown[]; connects: unknown[]; tallied: unknown[] } {
  return {
    rows: db.prepare(`SELECT hour_at, country, metric, n FROM geo_hour ORDER BY hour_at, country, metric`).all(),
    connects: db.prepare(`SELECT hour_at AS h, sum(n) AS n FROM geo_hour WHERE metric = 'connect' GROUP BY h ORDER BY h`).all(),
    tallied: db.prepare(`SELECT minute_at - minute_at % 3600 AS h, sum(n) AS n FROM connection_tally WHERE metric = 'connect' GROUP BY h ORDER BY h`).all(),
  };
}

describe('postino ingest (bulk)', () => {
  it('gives the figures, rows and tallies of the one-thread path, and ends with every index of the schema', async () => {
    const dbPath = join(env.dir, 'bulk.db');
    const run = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = postino(['ingest', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--json', file]);
      void c.exit.then((e) => resolve({ code: e.code, err: c.stderr() }));
    });
    expect(run.code, run.err).toBe(0);
    const db = openDb(dbPath);
    const ref = openDb(join(env.dir, 'reference.db'));
    try {
      expect(figuresOf(db)).toEqual(reference);
      expect(tallies(db)).toEqual(tallies(ref));
      // every connection in one country or label, the same on both paths
      const geo = countries(db);
      expect(geo.rows.length).toBeGreaterThan(100);
      expect(geo.connects).toEqual(geo.tallied);
      expect(geo).toEqual(countries(ref));
      // and in the country GeoIP gives each CONNECT's client, looked up one at a time
      const expected = connectsByCountry(lines);
      expect(talliedConnectsByCountry(db)).toEqual(expected);
      expect(expected.size).toBeGreaterThan(20);
      const rows = rejects(db);
      expect(rows.length).toBeGreaterThan(100);
      expect(rows).toEqual(rejects(ref));
      const src = db.prepare(`SELECT lines, recognised, unparsed, offset_bytes FROM sources`).all();
      expect(src).toEqual(ref.prepare(`SELECT lines, recognised, unparsed, offset_bytes FROM sources`).all());
      expect(src).toEqual([expect.objectContaining({ lines: lines.length, offset_bytes: statSync(file).size })]);
      // the indexes dropped for the load are all back, as the migrations define them
      expect(indexes(db)).toEqual(indexes(ref));
      expect(db.prepare(`SELECT count(*) AS n FROM deferred_indexes`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
      ref.close();
    }
  });

  it('killed with SIGKILL, resumes to the same figures, and the next open rebuilds the indexes it dropped', async () => {
    const dbPath = join(env.dir, 'killed.db');
    const size = statSync(file).size;
    const args = ['ingest', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--no-progress', file];
    // small batches, so that a kill lands between and inside many commits
    const childEnv = { POSTINO_BATCH_LINES: '300' };
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1e9);
    const prng = new Rng(seed);
    console.log(`bulk ingest kill seed ${seed} (CRASH_SEED=${seed} to replay)`);
    const targets = [0.2, 0.45, 0.7].map((f) => (f + prng.next() * 0.1) * size);
    let sawDeferred = false;
    for (const target of targets) {
      const child = postino(args, childEnv);
      await waitFor(() => progress(dbPath).offset >= target || child.proc.exitCode !== null, 60_000, () => `offset ${target}: ${child.stderr()}`, 5);
      await sleep(prng.next() * 20);
      child.proc.kill('SIGKILL');
      const exit = await child.exit;
      if (exit.signal !== 'SIGKILL') break; // it finished first: the rest of the test still holds
      // Read-only, as a dashboard would: the dropped indexes are still recorded, none is lost.
      const ro = openDb(dbPath, { readonly: true });
      const deferred = (ro.prepare(`SELECT count(*) AS n FROM deferred_indexes`).get() as { n: number }).n;
      const present = indexes(ro).length;
      ro.close();
      if (deferred > 0) sawDeferred = true;
      const ref = openDb(join(env.dir, 'reference.db'), { readonly: true });
      expect(present + deferred).toBe(indexes(ref).length);
      ref.close();
      // the first writable open after the owner died builds them again
      const rw = openDb(dbPath);
      expect(rw.prepare(`SELECT count(*) AS n FROM deferred_indexes`).get()).toEqual({ n: 0 });
      const ref2 = openDb(join(env.dir, 'reference.db'), { readonly: true });
      expect(indexes(rw)).toEqual(indexes(ref2));
      ref2.close();
      rw.close();
    }
    // On a fast run every kill can land after the load rebuilt its indexes: then kill a load of
    // its own as soon as its first batch is committed, when they are certainly still dropped.
    for (let attempt = 0; !sawDeferred && attempt < 3; attempt++) {
      const early = join(env.dir, `killed-early-${attempt}.db`);
      const child = postino(['ingest', '--db', early, '--config', cfg, '--year', String(YEAR), '--no-progress', file], childEnv);
      await waitFor(() => progress(early).offset > 0 || child.proc.exitCode !== null, 60_000, () => `first batch: ${child.stderr()}`, 2);
      child.proc.kill('SIGKILL');
      if ((await child.exit).signal !== 'SIGKILL') continue;
      const ro = openDb(early, { readonly: true });
      if ((ro.prepare(`SELECT count(*) AS n FROM deferred_indexes`).get() as { n: number }).n > 0) sawDeferred = true;
      ro.close();
    }
    expect(sawDeferred).toBe(true);
    const last = postino(args, childEnv);
    const exit = await last.exit;
    expect(exit.code, last.stderr()).toBe(0);
    const db = openDb(dbPath);
    try {
      expect(figuresOf(db)).toEqual(reference);
    } finally {
      db.close();
    }
  }, 120_000);

  it('keeps the open postscreen connections of journald JSON lines with its checkpoint (the reading thread owns them)', async () => {
    const dbPath = join(env.dir, 'journal.db');
    const file = join(env.dir, 'journal.json');
    const j = (usec: number, message: string): string =>
      JSON.stringify({ __REALTIME_TIMESTAMP: String(usec), _HOSTNAME: 'mx9', SYSLOG_IDENTIFIER: 'postfix/postscreen', _PID: '473', MESSAGE: message });
    const t = Date.UTC(YEAR, 2, 2, 10, 0, 0) * 1000;
    writeFileSync(
      file,
      [
        j(t, 'CONNECT from [192.0.2.7]:4242 to [192.0.2.1]:25'),
        j(t + 1_000_000, 'CONNECT from [192.0.2.8]:4343 to [192.0.2.1]:25'),
        j(t + 2_000_000, 'DISCONNECT [192.0.2.8]:4343'),
      ].join('\n') + '\n',
    );
    const c = postino(['ingest', '--db', dbPath, '--config', cfg, '--no-progress', file]);
    const exit = await c.exit;
    expect(exit.code, c.stderr()).toBe(0);
    const db = openDb(dbPath, { readonly: true });
    try {
      const state = JSON.parse((db.prepare(`SELECT state FROM correlator_state`).get() as { state: string }).state) as { connections: Array<[string, unknown]> };
      expect(state.connections.map(([k]) => k)).toEqual(['mx9|192.0.2.7]:4242']);
      expect(tallies(db)).toEqual([
        { metric: 'connect', n: 2 },
        { metric: 'outcome:disconnect', n: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});
