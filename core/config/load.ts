// Loads and validates postino.yml once; every error names its path.
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import { configSchema, type Config } from './schema';
import { ConfigError } from './config-error';

export { ConfigError };

/** `budget.items[2].share` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

function describe(error: ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown key`).join('; ');
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });
}

/** Validates an already-parsed object (tests and the loader share this). */
export function parseConfig(raw: unknown, origin = 'config'): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = describe(result.error);
    throw new ConfigError(`${origin}: invalid configuration\n  ${problems.join('\n  ')}`, problems);
  }
  return result.data;
}

export interface ConfigOverrides {
  tz?: string;
  db?: string;
}

/**
 * Reads `path` (or, with no path, `./postino.yml` when it exists, else defaults) and applies
 * command-line overrides, which are validated by the same schema.
 */
export function loadConfig(path: string | undefined, overrides: ConfigOverrides = {}): Config {
  let raw: unknown = {};
  let origin = 'defaults';
  const file = path ?? (existsSync('postino.yml') ? 'postino.yml' : undefined);
  if (file) {
    origin = file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`${file}: cannot read configuration: ${(e as Error).message}`, []);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      throw new ConfigError(`${file}: not valid YAML: ${(e as Error).message}`, []);
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${origin}: expected a mapping at the top level`, []);
  }
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (overrides.tz !== undefined) merged.timezone = overrides.tz;
  if (overrides.db !== undefined) merged.database = overrides.db;
  return parseConfig(merged, origin);
}
