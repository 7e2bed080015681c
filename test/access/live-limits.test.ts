// /api/live: streams are capped per session and in total; a client that stops reading gets no
// queue of updates (they are dropped) and a fresh snapshot once it drains.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, type Socket, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { makeEnv, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { NOW_MS } from '../helpers/lines';
import { LiveFeed, type LiveSnapshot } from '../../server/http/live';
import { createApp } from '../../server/http/app';
import type { Config } from '../../core/config/schema';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv([]);
});
afterAll(() => env.close());

/** A feed whose every refresh changes: a counter, and 24 hours of big numbers (a ~3 KB update). */
class BusyFeed extends LiveFeed {
  n = 0;
  override compute(): LiveSnapshot {
    const s = super.compute(false);
    this.n++;
    return { ...s, figures: { ...s.figures, connections: this.n }, hourly: s.hourly.map((h, i) => ({ ...h, connections: this.n * 1_000_003 + i, rejected: this.n * 7 + i })) };
  }
}

function listen(config: Config, live: LiveFeed): Promise<Server> {
  const app = createApp({ db: env.db, config, live, now: () => NOW_MS, log: () => {} });
  return new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
}

/** A raw HTTP client: sends the request, then reads only when told to. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ socket: Socket; received: () => string }> {
  return new Promise((ok, fail) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => {
      const h = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${h}\r\n`);
      ok({ socket, received: () => text });
    });
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', fail);
  });
}

async function statusOf(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  const c = await rawGet(port, path, headers);
  await expect.poll(() => /^HTTP\/1\.1 (\d+)/.exec(c.received())?.[1], { timeout: 5000 }).toBeTruthy();
  return Number(/^HTTP\/1\.1 (\d+)/.exec(c.received())![1]);
}

describe('live stream limits', () => {
  it('caps open streams per session (429) and in total (503)', async () => {
    const config = { ...env.config, access: { ...env.config.access, live_streams_per_session: 2, live_streams_total: 3 } };
    const live = new LiveFeed(env.db, config, () => NOW_MS, () => {});
    const server = await listen(config, live);
    const port = (server.address() as AddressInfo).port;
    const signIn = await request(createApp({ db: env.db, config, now: () => NOW_MS, log: () => {} })).post('/login').send({ username: 'manager', password: PASSWORDS.manager });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    try {
      const token = `/api/live?token=${WALL_TOKEN}`;
      expect(await statusOf(port, token)).toBe(200);
      expect(await statusOf(port, token)).toBe(200);
      expect(await statusOf(port, token)).toBe(429);
      expect(live.clientCount).toBe(2);
      expect(await statusOf(port, '/api/live', { Cookie: cookie })).toBe(200);
      expect(await statusOf(port, '/api/live', { Cookie: cookie })).toBe(503);
      expect(live.clientCount).toBe(3);
    } finally {
      live.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('queues nothing for a client that never reads, and sends it a fresh snapshot once it drains', async () => {
    const live = new BusyFeed(env.db, env.config, () => NOW_MS, () => {});
    const server = await listen(env.config, live);
    const port = (server.address() as AddressInfo).port;
    const client = await rawGet(port, `/api/live?token=${WALL_TOKEN}`);
    try {
      await expect.poll(() => client.received().includes('event: snapshot'), { timeout: 5000 }).toBe(true);
      client.socket.pause(); // from now on the client reads nothing
      let pushedBytes = 0;
      for (let i = 0; i < 8000; i++) {
        const u = live.refresh();
        pushedBytes += JSON.stringify(u).length;
        if (i % 500 === 0) await new Promise((r) => setImmediate(r)); // let the socket flush what it can
      }
      const buffered = Math.max(...live.bufferedBytes());
      console.log(`never-reading client: ${(pushedBytes / 1e6).toFixed(1)} MB pushed, ${buffered} bytes held for it, ${live.dropped} updates dropped`);
      expect(pushedBytes).toBeGreaterThan(20e6);
      expect(live.dropped).toBeGreaterThan(1000);
      expect(buffered).toBeLessThan(256 * 1024);
      // it reads again: it catches up with one snapshot of the latest figures
      const latest = live.snapshot().figures.connections;
      client.socket.resume();
      await expect.poll(() => client.received().includes(`"connections":${latest},`), { timeout: 10_000 }).toBe(true);
      const tail = client.received().slice(client.received().lastIndexOf('event: '));
      expect(tail).toMatch(/^event: snapshot\n/);
    } finally {
      client.socket.destroy();
      live.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
