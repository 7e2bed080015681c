// The journald reader against a fake `journalctl` on PATH (journalctl is not installed on
// these machines): a script that prints real `journalctl -o json` lines (two from
// lnav's test corpus, the rest Postfix entries of the same shape) after --after-cursor,
// then waits like `-f`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, readFileSync, chmodSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir, testConfig, waitFor } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';
import { Pipeline } from '../../collectors/pipeline';
import { JournalReader } from '../../collectors/journal/journal-reader';

const CORPUS = '/work/shared/corpus/lnav_test_logfile_journald.json';

let env: ReturnType<typeof tmpDir>;
let entries: string[];
const FAKE = `#!/usr/bin/env node
// fake journalctl: prints entries after --after-cursor (all with --since), then follows
const fs = require('fs');
fs.appendFileSync(process.env.FAKE_JOURNAL_ARGS, JSON.stringify(process.argv.slice(2)) + '\\n');
const lines = fs.readFileSync(process.env.FAKE_JOURNAL, 'utf8').split('\\n').filter((l) => l.startsWith('{'));
const after = process.argv.find((a) => a.startsWith('--after-cursor='));
let from = 0;
if (after) from = lines.findIndex((l) => JSON.parse(l).__CURSOR === after.slice(15)) + 1;
process.stdout.write(lines.slice(from).join('\\n') + '\\n');
setInterval(() => {}, 1000);
process.on('SIGTERM', () => process.exit(0));
`;

function postfixEntry(i: number): string {
  const usec = 1772406000000000 + i * 1_000_000; // 2026-03-02
  return JSON.stringify({
    __CURSOR: `s=e991dd5775894620914f2f7126aae6c1;i=${(0x4000 + i).toString(16)};b=0dc874d3fbd44bdbb6fbcfaa27481492;m=24ea327;t=573f280a663fd;x=9ceeb77ef4331563`,
    __REALTIME_TIMESTAMP: String(usec),
    __MONOTONIC_TIMESTAMP: String(38708007 + i),
    _BOOT_ID: '0dc874d3fbd44bdbb6fbcfaa27481492',
    PRIORITY: '6',
    _HOSTNAME: 'mx1.unipi.it',
    SYSLOG_FACILITY: '2',
    _TRANSPORT: 'syslog',
    SYSLOG_IDENTIFIER: 'postfix/postscreen',
    SYSLOG_PID: '1642',
    _PID: '1642',
    _COMM: 'postscreen',
    _SYSTEMD_UNIT: 'postfix@-.service',
    MESSAGE: `CONNECT from [41.137.38.${i % 250}]:${40000 + i} to [131.114.21.11]:25`,
  });
}

beforeAll(() => {
  env = tmpDir('journal');
  const corpus = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.startsWith('{'));
  entries = [...corpus, ...Array.from({ length: 30 }, (_, i) => postfixEntry(i))];
  writeFileSync(join(env.dir, 'journalctl'), FAKE);
  chmodSync(join(env.dir, 'journalctl'), 0o755);
  process.env.PATH = `${env.dir}:${process.env.PATH}`;
  process.env.FAKE_JOURNAL = join(env.dir, 'journal.json');
  process.env.FAKE_JOURNAL_ARGS = join(env.dir, 'args.jsonl');
});
afterAll(() => env.cleanup());

describe('journal reader', () => {
  it('checkpoints the cursor with the rows and resumes after it', async () => {
    const dbPath = join(env.dir, 'j.db');
    writeFileSync(process.env.FAKE_JOURNAL!, entries.slice(0, 22).join('\n') + '\n');
    const db = openDb(dbPath);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    try {
      let r = new JournalReader(new Pipeline(db, testConfig(dbPath)), { batchMs: 20 });
      await r.start();
      await waitFor(() => count(`SELECT coalesce(sum(lines), 0) AS n FROM sources`) === 22, 10_000, 'the first entries');
      await r.stop();
      const src = db.prepare(`SELECT * FROM sources WHERE kind = 'journal'`).get() as { cursor: string; path: string };
      expect(src.path).toBe('journald');
      expect(src.cursor).toBe(JSON.parse(entries[21]!).__CURSOR);
      expect(count(`SELECT sum(recognised) AS n FROM sources`)).toBe(20); // the Postfix entries
      expect(count(`SELECT sum(unparsed) AS n FROM sources`)).toBe(0);
      expect(count(`SELECT sum(other) AS n FROM sources`)).toBe(2); // the two non-mail corpus entries: other programs' lines

      // New entries while stopped; the restart passes the cursor and reads only those.
      appendFileSync(process.env.FAKE_JOURNAL!, entries.slice(22).join('\n') + '\n');
      r = new JournalReader(new Pipeline(db, testConfig(dbPath)), { batchMs: 20 });
      await r.start();
      await waitFor(() => count(`SELECT coalesce(sum(lines), 0) AS n FROM sources`) === entries.length, 10_000, 'the new entries');
      await r.stop();
      expect(count(`SELECT sum(recognised) AS n FROM sources`)).toBe(30);
      expect(count(`SELECT count(*) AS n FROM sources`)).toBe(1);
      const calls = readFileSync(process.env.FAKE_JOURNAL_ARGS!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      expect(calls[0]).toEqual(expect.arrayContaining(['-o', 'json', '-f', '--since=today', 'SYSLOG_FACILITY=2']));
      expect(calls[1]).toContain(`--after-cursor=${src.cursor}`);
    } finally {
      db.close();
    }
  });
});
