// `postino serve` as an operator runs it: a real process following a configured log file.
// A line appended to the file must reach /api/summary and the SSE feed within 2 s.
import { waitForValue as waitFor } from '../helpers/wait';
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/cli';
import { localDate } from '../../core/time/local-time';

const TOKEN = 'serve-live-token-0123456789';
const TZ = 'Europe/Rome';
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGTERM');
});

/** A real postscreen CONNECT line (shape of the Postfix POSTSCREEN_README), stamped now in Rome. */
function connectLine(i: number): string {
  const now = new Date();
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: TZ, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const stamp = `${parts.month} ${String(parts.day).padStart(2, ' ')} ${parts.hour}:${parts.minute}:${parts.second}`;
  return `${stamp} mx1.unipi.it postfix/postscreen[1001]: CONNECT from [203.0.113.${i % 250}]:${40000 + i} to [131.114.21.11]:25`;
}

describe('postino serve follows its configured sources live', () => {
  it('an appended line is in /api/summary and on the SSE feed within 2 s', async () => {
    const dir = tempDir('postino-serve-');
    const log = join(dir, 'mail.log');
    writeFileSync(log, connectLine(0) + '\n');
    const cfg = join(dir, 'postino.yml');
    writeFileSync(cfg, `timezone: ${TZ}\ndemo: false\nsources:\n  - path: ${log}\nserver:\n  wall_tokens: [${TOKEN}]\n`);
    child = spawn(process.execPath, [join(repoRoot, 'bin', 'postino.mjs'), 'serve', '--config', cfg, '--db', join(dir, 'p.db'), '--port', '0', '--host', '127.0.0.1'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const base = await waitFor('the server', async () => /running at (http:\/\/[^/\s]+)\//.exec(out)?.[1] ?? null, 60_000);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const today = localDate(TZ, Date.now() / 1000);
    const connections = async (): Promise<number> => {
      const r = await fetch(`${base}/api/summary?from=${today}&to=${today}`, { headers: auth });
      expect(r.status).toBe(200);
      return ((await r.json()) as { days: Array<{ connections: number }> }).days[0]!.connections;
    };
    await waitFor('the first line', async () => ((await connections()) === 1 ? true : null), 10_000);

    // Listen to the live feed, then append 5 lines and time both paths.
    const sse = await fetch(`${base}/api/live`, { headers: auth });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    let sseText = '';
    const sseSeen = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        sseText += new TextDecoder().decode(value);
        if (/"connections":6\b/.test(sseText)) return;
      }
    })();
    const t0 = Date.now();
    appendFileSync(log, [1, 2, 3, 4, 5].map(connectLine).join('\n') + '\n');
    await waitFor('the summary', async () => ((await connections()) === 6 ? true : null), 5_000);
    const summaryLag = Date.now() - t0;
    await Promise.race([sseSeen, new Promise((_, no) => setTimeout(() => no(new Error(`no SSE update; got ${sseText.slice(-300)}`)), 5_000))]);
    const sseLag = Date.now() - t0;
    await reader.cancel();
    console.log(`live lag: /api/summary ${summaryLag} ms, SSE ${sseLag} ms`);
    expect(summaryLag).toBeLessThanOrEqual(2_000);
    expect(sseLag).toBeLessThanOrEqual(2_000);
  });
});
