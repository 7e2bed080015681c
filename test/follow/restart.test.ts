// Restart after rotations that happened while the collector was stopped (mail.log.1 and a
// compressed mail.log.2.gz), and a partial last line written in two pieces.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, readFileSync, renameSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, figuresOf, progress, postino, writeConfigFile, waitFor, testConfig, YEAR } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';
import { Pipeline } from '../../collectors/pipeline';
import { Follower } from '../../collectors/follow/follower';

let env: ReturnType<typeof tmpDir>;
let lines: string[];

beforeAll(async () => {
  env = tmpDir('restart');
  lines = (await generatedLines(0.01, env.dir)).slice(0, 20_000);
});
afterAll(() => env.cleanup());

const text = (from: number, to: number): string => lines.slice(from, to).join('\n') + '\n';

describe('restart after rotations while stopped', () => {
  it('reads mail.log.2.gz and mail.log.1 from their checkpoints first, then mail.log', async () => {
    const dir = join(env.dir, 'stopped');
    mkdirSync(dir);
    const log = join(dir, 'mail.log');
    const dbPath = join(dir, 'f.db');
    const cfg = writeConfigFile(dir);
    const args = ['follow', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--poll-ms', '100', '--no-retention', join(dir, 'mail.log*')];
    const cut = [0, 5000, 8000, 12000, 16000, 20000] as const;
    writeFileSync(log, text(cut[0], cut[1]));
    let child = postino(args);
    await waitFor(() => progress(dbPath).lines >= cut[1], 30_000, () => `first part: ${child.stderr()}`);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code, child.stderr()).toBe(0);

    // While stopped: the read file grows, is rotated twice (and compressed), new files appear.
    appendFileSync(log, text(cut[1], cut[2]));
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(cut[2], cut[3]));
    writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
    unlinkSync(`${log}.1`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(cut[3], cut[4]));

    child = postino(args);
    await waitFor(() => progress(dbPath).lines >= cut[4], 30_000, () => `after restart: ${child.stderr()}`);
    appendFileSync(log, text(cut[4], cut[5]));
    await waitFor(() => progress(dbPath).lines >= cut[5] && progress(dbPath).dirty === 0, 30_000, 'the live part');
    child.proc.kill('SIGTERM');
    expect((await child.exit).code, child.stderr()).toBe(0);

    const followed = openDb(dbPath);
    const clean = await oneShot(lines.slice(0, cut[5]), dir);
    try {
      expect((followed.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n).toBe(cut[5]);
      expect(figuresOf(followed)).toEqual(figuresOf(clean));
    } finally {
      followed.close();
      clean.close();
    }
  }, 90_000);
});

describe('a partial last line written in two pieces', () => {
  it('is counted once, whole', async () => {
    const dir = join(env.dir, 'partial');
    mkdirSync(dir);
    const log = join(dir, 'mail.log');
    const dbPath = join(dir, 'p.db');
    const db = openDb(dbPath);
    const pipeline = new Pipeline(db, testConfig(dbPath));
    let batches = 0;
    const f = new Follower(pipeline, [log], { pollMs: 20, year: YEAR, flushMs: 0, onBatch: () => batches++ });
    const body = text(0, 200);
    const last = lines[200]!;
    const cutAt = Math.floor(last.length / 2);
    writeFileSync(log, body + last.slice(0, cutAt));
    await f.start();
    await f.pollOnce();
    const count = () => (db.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n;
    expect(count()).toBe(200);
    appendFileSync(log, last.slice(cutAt) + '\n');
    await waitFor(() => count() === 201, 5000, 'the whole line');
    await f.stop();
    expect(batches).toBeGreaterThanOrEqual(2);
    const clean = await oneShot(lines.slice(0, 201), dir);
    try {
      expect(figuresOf(db)).toEqual(figuresOf(clean));
      expect(figuresOf(db).unparsed).toBe(0);
    } finally {
      db.close();
      clean.close();
    }
  });
});
