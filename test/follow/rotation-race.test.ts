// Rotation races: a writer in another process rotates every few hundred lines (logrotate's
// numbered shift, rename+create) while a follower polls as fast as it can. A rotation then
// often falls between the follower's directory listing, its stats and its reads. Whatever
// the interleaving, every line must be read once, and a rotated file must be drained before
// its successor is read: the figures equal those of a one-shot ingest of the same lines.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { tmpDir, generatedLines, oneShot, figuresOf, testConfig, sleep, YEAR } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';
import { Pipeline } from '../../collectors/pipeline';
import { Follower } from '../../collectors/follow/follower';

const N = 8_000;
const ROTATE_EVERY = 160;
const CHUNK = 8;

let env: ReturnType<typeof tmpDir>;
let lines: string[];

beforeAll(async () => {
  env = tmpDir('rotation-race');
  lines = (await generatedLines(0.02, env.dir)).slice(0, N);
});
afterAll(() => env.cleanup());

// The writer: appends CHUNK lines at a time; every ROTATE_EVERY lines shifts mail.log.K → .K+1
// (oldest first), renames mail.log → mail.log.1 and creates an empty mail.log. With an ack
// file, it rotates only once the follower has read half of the live file: when only mail.log
// is followed, a file never seen under that name cannot be read, however fast one polls.
const WRITER = `
const fs = require('node:fs');
const [dir, src, every, chunk, ack] = process.argv.slice(1);
const lines = fs.readFileSync(src, 'utf8').split('\\n').filter(Boolean);
const log = dir + '/mail.log';
const pause = new Int32Array(new SharedArrayBuffer(4));
const acked = () => { try { return Number(fs.readFileSync(ack, 'utf8')) || 0; } catch { return 0; } };
let kept = 0;
for (let i = 0; i < lines.length; i += Number(chunk)) {
  if (i > 0 && i % Number(every) === 0) {
    const t0 = Date.now();
    while (ack && acked() < i - Number(every) / 2) {
      if (Date.now() - t0 > 20000) process.exit(3);
      Atomics.wait(pause, 0, 0, 1);
    }
    for (let k = kept; k >= 1; k--) fs.renameSync(log + '.' + k, log + '.' + (k + 1));
    fs.renameSync(log, log + '.1');
    kept++;
    fs.writeFileSync(log, '');
  }
  fs.appendFileSync(log, lines.slice(i, i + Number(chunk)).join('\\n') + '\\n');
  const until = Date.now() + 1; while (Date.now() < until) {}
}
`;

function runWriter(dir: string, src: string, ack: string): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['-e', WRITER, dir, src, String(ROTATE_EVERY), String(CHUNK), ack], { stdio: 'ignore' });
    p.on('exit', (code) => resolve(code));
  });
}

async function followRacingRotations(pattern: 'glob' | 'path'): Promise<void> {
  const dir = join(env.dir, pattern);
  mkdirSync(dir);
  const src = join(env.dir, `source-${pattern}.txt`);
  writeFileSync(src, lines.join('\n') + '\n');
  writeFileSync(join(dir, 'mail.log'), '');
  const dbPath = join(dir, 'follow.db');
  const db = openDb(dbPath);
  const pipeline = new Pipeline(db, testConfig(dbPath));
  const target = pattern === 'glob' ? join(dir, 'mail.log*') : join(dir, 'mail.log');
  const errors: string[] = [];
  const follower = new Follower(pipeline, [target], { pollMs: 1, year: YEAR, log: (m) => errors.push(m) });
  await follower.start();
  const ack = pattern === 'path' ? join(dir, 'ack') : '';
  const acking = setInterval(() => ack && writeFileSync(ack, String(follower.lines)), 2);
  try {
    expect(await runWriter(dir, src, ack)).toBe(0);
  } finally {
    clearInterval(acking);
  }
  // The writer is done: the polls read what is left (or, if lines were lost, never get there).
  const t0 = Date.now();
  while (follower.lines < lines.length && Date.now() - t0 < 5000) await sleep(20);
  await sleep(50);
  await follower.stop();
  const clean = await oneShot(lines, dir);
  try {
    const total = (db.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n;
    expect(total, errors.join('\n')).toBe(lines.length);
    expect(figuresOf(db)).toEqual(figuresOf(clean));
  } finally {
    db.close();
    clean.close();
  }
}

describe('a follower racing a fast rotating writer', () => {
  it('following mail.log*: every line once, each rotated file drained before the next', async () => {
    await followRacingRotations('glob');
  }, 120_000);

  it('following only mail.log: the rotated inode is drained through the held descriptor', async () => {
    await followRacingRotations('path');
  }, 120_000);
});

describe('a file the follower cannot open', () => {
  it('is named in the log each poll, and the other files are still read', async () => {
    const dir = join(env.dir, 'unreadable');
    mkdirSync(dir);
    // a symbolic link to itself: opening it fails with ELOOP (root may read any mode, so no chmod)
    symlinkSync('mail.log.9', join(dir, 'mail.log.9'));
    writeFileSync(join(dir, 'mail.log'), lines.slice(0, 500).join('\n') + '\n');
    const dbPath = join(dir, 'follow.db');
    const db = openDb(dbPath);
    const errors: string[] = [];
    // a poll interval longer than the test: the two polls counted below are start()'s and ours
    const follower = new Follower(new Pipeline(db, testConfig(dbPath)), [join(dir, 'mail.log*')], { pollMs: 60_000, year: YEAR, log: (m) => errors.push(m) });
    try {
      await follower.start();
      await follower.pollOnce();
      expect(follower.lines).toBe(500);
      const named = errors.filter((m) => m.startsWith(join(dir, 'mail.log.9') + ': cannot read:'));
      expect(named.length, errors.join('\n')).toBe(2);
      expect(errors.some((m) => /renamed/.test(m))).toBe(false);
    } finally {
      await follower.stop();
      db.close();
    }
  });
});

describe('two polls asked for at once', () => {
  it('run one after the other: each line is read once', async () => {
    const dir = join(env.dir, 'concurrent');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mail.log'), lines.slice(0, 2000).join('\n') + '\n');
    const dbPath = join(dir, 'follow.db');
    const db = openDb(dbPath);
    const follower = new Follower(new Pipeline(db, testConfig(dbPath)), [join(dir, 'mail.log')], { pollMs: 60_000, year: YEAR, sliceBytes: 64 << 10 });
    try {
      await Promise.all([follower.pollOnce(), follower.pollOnce(), follower.pollOnce()]);
      const total = (db.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n;
      expect(total).toBe(2000);
      expect(follower.lines).toBe(2000);
    } finally {
      await follower.stop();
      db.close();
    }
  });
});
