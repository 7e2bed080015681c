// What the two GeoIP benches share: their command-line options and the generated day they read
// (bench-data/geoip-day-<scale>.log, generated once).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateToFile } from '../collectors/generate/index';

/** The value after `--name` on the command line, else `dflt`. */
export function benchArg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}

export const BENCH_DIR = join(process.cwd(), 'bench-data');

/** The GeoIP benches' day at `scale`: its path, generated first when missing. */
export async function geoipDay(scale: number): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const log = join(BENCH_DIR, `geoip-day-${scale}.log`);
  if (!existsSync(log)) await generateToFile({ start: '2026-03-02', days: 1, scale, tz: 'Europe/Rome', seed: 11 }, log);
  return log;
}
