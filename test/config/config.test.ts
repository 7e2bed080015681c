import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, loadConfig, ConfigError } from '../../core/config/load';

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('needs no file: every key has a default, the seed budget and Europe/Rome', () => {
    const c = parseConfig({});
    expect(c.timezone).toBe('Europe/Rome');
    expect(c.database).toBe('./data/postino.db');
    expect(c.spam).toEqual({ inbound_tag: 5, inbound_block: 9, outbound_block: 6 });
    expect(c.budget.items.reduce((s, i) => s + i.spend * i.share, 0)).toBeCloseTo(28_300, 6);
    expect(c.retention).toEqual({ connections_days: 14, messages_days: 90, logins_days: 90 });
  });

  it('names the path of a wrong type', () => {
    const items = [
      { name: 'Network', spend: 40000, share: 0.1 },
      { name: 'Computing', spend: 24000, share: 0.2 },
      { name: 'Storage', spend: 18000, share: 'all' },
    ];
    expect(problemsOf({ budget: { items } })).toEqual(['budget.items[2].share: expected a number between 0 and 1']);
    expect(problemsOf({ budget: { items: [{ name: 'x', spend: 1, share: 1.5 }] } })).toEqual(['budget.items[0].share: expected a number between 0 and 1']);
  });

  it('rejects unknown keys, naming them', () => {
    expect(problemsOf({ timezon: 'Europe/Rome' })).toEqual(['timezon: unknown key']);
    expect(problemsOf({ spam: { inbound_tag: 5, inbound_blok: 9 } })).toEqual(['spam.inbound_blok: unknown key']);
  });

  it('checks trusted proxies: addresses, CIDR ranges, named ranges', () => {
    expect(parseConfig({}).server.trusted_proxies).toEqual([]);
    expect(parseConfig({ server: { trusted_proxies: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback'] } }).server.trusted_proxies).toHaveLength(5);
    expect(problemsOf({ server: { trusted_proxies: ['127.0.0.1', 'proxy.example'] } })).toEqual([
      'server.trusted_proxies[1]: expected an IP address, a CIDR range (192.0.2.0/24) or loopback, linklocal, uniquelocal',
    ]);
    expect(problemsOf({ server: { trusted_proxies: ['10.0.0.0/33'] } })).toHaveLength(1);
  });

  it('rejects an unknown time zone', () => {
    expect(problemsOf({ timezone: 'Mars/Olympus' })[0]).toMatch(/^timezone: expected an IANA time zone/);
  });

  it('reads YAML, applies --tz/--db overrides and validates them too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'postino-cfg-'));
    const file = join(dir, 'postino.yml');
    writeFileSync(file, 'timezone: UTC\nlocal_domains: [example.org]\n');
    expect(loadConfig(file).timezone).toBe('UTC');
    expect(loadConfig(file, { tz: 'Europe/Rome', db: '/tmp/x.db' })).toMatchObject({ timezone: 'Europe/Rome', database: '/tmp/x.db' });
    expect(() => loadConfig(file, { tz: 'Nowhere/Zone' })).toThrow(/timezone: expected an IANA/);
    writeFileSync(file, 'budget:\n  items:\n    - {name: a, spend: 1, share: 0.5}\n    - {name: b, spend: 1, share: 0.5}\n    - {name: c, spend: 1, share: nope}\n');
    expect(() => loadConfig(file)).toThrow(/budget\.items\[2\]\.share: expected a number between 0 and 1/);
    writeFileSync(file, 'timezone: [unclosed\n');
    expect(() => loadConfig(file)).toThrow(/not valid YAML/);
  });
});
