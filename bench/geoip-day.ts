// What the two GeoIP benches share: their command-line options and the generated day they read
// (bench-data/geoip-day-<scale>.log, generated once), and a second shape of that day in which a
// share of the postscreen clients connect over IPv6 (`--ipv6 0.2`, collectors/generate/ipv6-clients.ts).
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { generateToFile } from '../collectors/generate/index';
import { moveClientToIpv6 } from '../collectors/generate/ipv6-clients';

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

async function moveToIpv6(from: string, to: string, share: number): Promise<void> {
  const out = createWriteStream(`${to}.part`);
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    if (!out.write(moveClientToIpv6(line, share) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${to}.part`, to);
}
