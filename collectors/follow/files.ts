// Which files a follower looks at, and in which order: glob expansion on the last path
// component (`*`, `?`), and "older first" ordering of rotated files
// (mail.log.2.gz, mail.log.1, mail.log; or dateext mail.log-20260101.gz before mail.log).
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(basename(pattern));
}

function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** Paths matching the patterns now (a plain path is returned as is, existing or not). */
export function expandPatterns(patterns: string[]): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    if (/[*?]/.test(dirname(p))) throw new Error(`${p}: wildcards are supported in the file name only`);
    if (!hasGlob(p)) {
      out.add(p);
      continue;
    }
    const dir = dirname(p);
    const re = globToRegExp(basename(p));
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (re.test(n) && !n.startsWith('.')) out.add(join(dir, n));
  }
  return [...out];
}

/**
 * How many rotations old a path looks: 0 for the live file, N for `.N` / `.N.gz`, and for
 * dateext names (`-YYYYMMDD`) a large number that is bigger for older dates.
 */
export function rotationAge(path: string): number {
  const name = basename(path);
  const n = /\.(\d{1,4})(?:\.(?:gz|bz2|xz|zst))?$/.exec(name);
  if (n) return Number(n[1]);
  const d = /-(\d{8})(?:\d{2})?(?:\.(?:gz|bz2|xz|zst))?$/.exec(name);
  if (d) return 1e9 - Number(d[1]);
  return 0;
}

/** Older first: by rotation age (descending), then by modification time, then by path. */
export function olderFirst<T extends { path: string; mtimeMs: number }>(a: T, b: T): number {
  return rotationAge(b.path) - rotationAge(a.path) || a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
