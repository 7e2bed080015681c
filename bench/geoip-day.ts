// What the two GeoIP benches share: their command-line options and the generated day they read
// (bench-data/geoip-day-<scale>.log, generated once), and a second shape of that day in which a
// share of the postscreen clients connect over IPv6 (`--ipv6 0.2`), as a real MX sees the large
// providers do; the generator's clients are all IPv4.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { generateToFile } from '../collectors/generate/index';

/** The value after `--name` on the command line, else `dflt`. */
export function benchArg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}

export const BENCH_DIR = join(process.cwd(), 'bench-data');

/**
 * The GeoIP benches' day at `scale`: its path, generated first when missing. With `ipv6` above
 * 0, that share of the postscreen clients (by address) is moved to IPv6.
 */
export async function geoipDay(scale: number, ipv6 = 0): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const log = join(BENCH_DIR, `geoip-day-${scale}.log`);
  if (!existsSync(log)) await generateToFile({ start: '2026-03-02', days: 1, scale, tz: 'Europe/Rome', seed: 11 }, log);
  if (ipv6 <= 0) return log;
  const v6 = join(BENCH_DIR, `geoip-day-${scale}-ipv6-${ipv6}.log`);
  if (!existsSync(v6)) await moveToIpv6(log, v6, ipv6);
  return v6;
}

/** Providers' /32s the moved clients come from (pools of many addresses in few /48s each). */
const POOLS = ['2a00:1450', '2a01:111', '2001:41d0', '2607:f8b0', '2804:14c', '240e:3a1', '2001:da8', '2a02:6b8'];

/** The IPv6 address an IPv4 client a.b.c.d becomes, or null when it stays (the same every time). */
function movedAddress(a: number, b: number, c: number, d: number, share: number): string | null {
  const h = Math.imul(((a * 256 + b) * 256 + c) * 256 + d, 0x9e3779b1) >>> 0;
  if (h / 2 ** 32 >= share) return null;
  return `${POOLS[h % POOLS.length]}:${(0x4000 + (b % 32)).toString(16)}:${c.toString(16)}::${d.toString(16)}`;
}

async function moveToIpv6(from: string, to: string, share: number): Promise<void> {
  const out = createWriteStream(`${to}.part`);
  const client = /\[(\d+)\.(\d+)\.(\d+)\.(\d+)\]:(\d+)/;
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    let text = line;
    if (line.includes('postfix/postscreen[')) {
      const m = client.exec(line);
      const moved = m && movedAddress(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), share);
      if (m && moved) text = line.slice(0, m.index) + `[${moved}]:${m[5]}` + line.slice(m.index + m[0].length);
    }
    if (!out.write(text + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${to}.part`, to);
}
