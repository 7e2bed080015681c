// A temp database + config + pipeline that ingests given lines, and an app over it.
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import type { Config } from '../../core/config/schema';
import { Pipeline } from '../../collectors/pipeline';
import { createApp, type App } from '../../server/http/app';
import { hashPassword } from '../../server/http/passwords';
import { YEAR, NOW_MS } from './lines';

export const PASSWORDS = { admin: 'admin-secret-1', operator: 'operator-secret-1', manager: 'manager-secret-1', wallie: 'wall-secret-12' } as const;
export const WALL_TOKEN = 'wall-token-0123456789abcdef';

let hashes: Record<string, string> | null = null;
function userHashes(): Record<string, string> {
  hashes ??= Object.fromEntries(Object.entries(PASSWORDS).map(([k, v]) => [k, hashPassword(v)]));
  return hashes;
}

export function testConfig(dbPath: string, extra: Record<string, unknown> = {}): Config {
  const h = userHashes();
  return parseConfig({
    timezone: 'Europe/Rome',
    database: dbPath,
    demo: false,
    hosts: { 'mbox1.unipi.it': { roles: ['mailbox'], mailbox_share: 0.5 }, 'mbox2.unipi.it': { roles: ['mailbox'], mailbox_share: 0.5 } },
    users: [
      { name: 'admin', role: 'admin', password: h.admin },
      { name: 'operator', role: 'operator', password: h.operator },
      { name: 'manager', role: 'manager', password: h.manager },
      { name: 'wallie', role: 'wall', password: h.wallie },
    ],
    server: { wall_tokens: [WALL_TOKEN] },
    // beside the database: a test never writes reports into the working tree
    reports: { folder: join(dirname(dbPath), 'reports') },
    ...extra,
  });
}

export interface TestEnv {
  dir: string;
  db: Db;
  config: Config;
  pipeline: Pipeline;
  logPath: string;
  /** appends lines to the log file and ingests them (rollups flushed) */
  ingest(lines: string[]): Promise<void>;
  app(now?: () => number): App;
  close(): void;
}

export async function makeEnv(lines: string[] = [], extra: Record<string, unknown> = {}): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'postino-http-'));
  const dbPath = join(dir, 'postino.db');
  const config = testConfig(dbPath, extra);
  const db = openDb(dbPath);
  const pipeline = new Pipeline(db, config);
  const logPath = join(dir, 'mail.log');
  const env: TestEnv = {
    dir,
    db,
    config,
    pipeline,
    logPath,
    async ingest(more) {
      appendFileSync(logPath, more.map((l) => l + '\n').join(''));
      await pipeline.ingestFile(logPath, { year: YEAR });
      pipeline.flushRollups();
    },
    app(now = () => NOW_MS) {
      return createApp({ db, config, now, log: () => {} });
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (lines.length) await env.ingest(lines);
  return env;
}

/** A supertest agent logged in as one of the test users. */
export async function loginAs(app: App, user: keyof typeof PASSWORDS): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(app);
  const r = await agent.post('/login').send({ username: user, password: PASSWORDS[user] });
  if (r.status !== 200) throw new Error(`login as ${user} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return agent;
}
