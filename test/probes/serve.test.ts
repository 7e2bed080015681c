// `postino serve` with probes configured runs them: postino_probe_up on /metrics follows a
// responder on 127.0.0.1 going down and coming back.
import { waitForValue as waitFor } from '../helpers/wait';
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/cli';
import { startResponder, type Responder } from './responders';

const TOKEN = 'serve-probes-token-0123456789';
let child: ChildProcess | null = null;
let smtp: Responder | null = null;

afterAll(async () => {
  child?.kill('SIGTERM');
  await smtp?.stop();
});

describe('postino serve runs the configured probes', () => {
  it('postino_probe_up follows the server down and up', async () => {
    smtp = await startResponder({ protocol: 'smtp' });
    const dir = tempDir('postino-serve-probes-');
    const cfg = join(dir, 'postino.yml');
    writeFileSync(
      cfg,
      `demo: false\nserver:\n  wall_tokens: [${TOKEN}]\nprobes:\n  - {name: smtp-mx1, type: smtp, host: mx1.unipi.it, target: "${smtp.target}", interval_s: 0.2, timeout_s: 1}\n`,
    );
    child = spawn(process.execPath, [join(repoRoot, 'bin', 'postino.mjs'), 'serve', '--config', cfg, '--db', join(dir, 'p.db'), '--port', '0', '--host', '127.0.0.1'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const base = await waitFor('the server', async () => /running at (http:\/\/[^/\s]+)\//.exec(out)?.[1] ?? null, 60_000);
    // printed a few lines after the address: waited for, not expected in the same chunk of output
    await waitFor('the probes line', async () => (out.includes('active probes: smtp-mx1') ? true : null), 10_000);
    const up = async (): Promise<string | null> => {
      const r = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      return /postino_probe_up\{probe="smtp-mx1",service="smtp-in"\} (\d)/.exec(await r.text())?.[1] ?? null;
    };
    await waitFor('up 1', async () => ((await up()) === '1' ? true : null), 10_000);
    await smtp.stop();
    await waitFor('up 0', async () => ((await up()) === '0' ? true : null), 10_000);
    await smtp.start();
    await waitFor('up 1 again', async () => ((await up()) === '1' ? true : null), 10_000);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((ok) => child!.once('exit', (c) => ok(c)));
    child = null;
    expect(code).toBe(0);
    expect(out).not.toMatch(/unexpected error|failed/);
  }, 90_000);
});
