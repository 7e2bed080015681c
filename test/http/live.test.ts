// /api/live: a full snapshot on connect, then only changed figures after an ingest commit.
import { describe, it, expect, afterEach } from 'vitest';
import { get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeEnv, WALL_TOKEN, type TestEnv } from '../helpers/env';
import { baseDay, botConnections, DATE, NOW_MS } from '../helpers/lines';
import { LiveFeed } from '../../server/http/live';
import { createApp } from '../../server/http/app';

interface Sse {
  events: Array<{ event: string; data: unknown }>;
  raw: string;
  res: IncomingMessage;
  next(event: string, timeoutMs?: number): Promise<unknown>;
}

function openSse(url: string): Promise<Sse> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const consumed = new Map<string, number>();
      const s: Sse = {
        events: [],
        raw: '',
        res,
        next(event, timeoutMs = 5000) {
          // events are consumed in order, per event name
          const seen = consumed.get(event) ?? 0;
          consumed.set(event, seen + 1);
          return new Promise((ok, fail) => {
            const t0 = Date.now();
            const poll = setInterval(() => {
              const all = s.events.filter((e) => e.event === event);
              if (all.length > seen) {
                clearInterval(poll);
                ok(all[seen]!.data);
              } else if (Date.now() - t0 > timeoutMs) {
                clearInterval(poll);
                fail(new Error(`no ${event} event within ${timeoutMs} ms; got: ${s.raw.slice(0, 400)}`));
              }
            }, 10);
          });
        },
      };
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        s.raw += chunk;
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) s.events.push({ event: ev, data: JSON.parse(data) });
        }
      });
      resolve(s);
    }).on('error', reject);
  });
}

let env: TestEnv | null = null;
let server: Server | null = null;
let live: LiveFeed | null = null;
afterEach(async () => {
  live?.close();
  if (server) await new Promise((ok) => server!.close(ok));
  env?.close();
  env = null;
  server = null;
  live = null;
});

async function start(): Promise<string> {
  env = await makeEnv(baseDay());
  live = new LiveFeed(env.db, env.config, () => NOW_MS);
  env.pipeline.onCommit = () => live!.notify();
  const app = createApp({ db: env.db, config: env.config, live, now: () => NOW_MS, log: () => {} });
  server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server!.once('listening', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('/api/live', () => {
  it('sends a full snapshot first, then only what changed when lines are ingested', async () => {
    const base = await start();
    const sse = await openSse(`${base}/api/live?token=${WALL_TOKEN}`);
    expect(sse.res.statusCode).toBe(200);
    expect(sse.res.headers['content-type']).toMatch(/text\/event-stream/);
    const snap = (await sse.next('snapshot')) as { date: string; figures: Record<string, number>; hourly: unknown[]; availability: null };
    expect(snap.date).toBe(DATE);
    expect(snap.figures.connections).toBe(7);
    expect(snap.hourly).toHaveLength(24);
    expect(snap.availability).toBeNull();
    // no personal data in the wall feed
    expect(JSON.stringify(snap)).not.toMatch(/@|\d+\.\d+\.\d+\.\d+/);

    await env!.ingest(botConnections('12:30', 3));
    const upd = (await sse.next('update')) as { figures: Record<string, number>; hourly?: Array<{ connections: number }> };
    expect(upd.figures).toEqual({ connections: 10 });
    expect(upd.hourly?.[12]?.connections).toBe(3);

    // nothing changed → nothing pushed
    const pushes = live!.pushes;
    live!.refresh();
    expect(live!.pushes).toBe(pushes);
    sse.res.destroy();
  });

  it('refuses the feed without a session or token', async () => {
    const base = await start();
    const sse = await openSse(`${base}/api/live?token=not-the-token-000000`);
    expect(sse.res.statusCode).toBe(401);
    sse.res.destroy();
  });

  it('moves to the new day with a full snapshot', async () => {
    env = await makeEnv(baseDay());
    let now = NOW_MS;
    live = new LiveFeed(env.db, env.config, () => now);
    expect(live.snapshot().date).toBe(DATE);
    now += 86_400_000;
    live.refresh();
    expect(live.snapshot().date).toBe('2026-11-30');
    expect(live.snapshot().figures.connections).toBe(0);
  });
});
