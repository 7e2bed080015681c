// The budget model is validated once, with the path of every error; a wrong model stops the
// command line before anything runs.
import { describe, it, expect } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, ConfigError } from '../../core/config/load';
import { postino, tempDir } from '../helpers/cli';

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('budget config', () => {
  it('defaults are the seed model', () => {
    const b = parseConfig({}).budget;
    expect(b.items.reduce((s, i) => s + i.spend * i.share, 0)).toBe(28300);
    expect(b.storage_capacity_tb).toBe(5);
    expect(b.service_start).toBe('2013-01-01');
    expect(b.allocation).toBe('evenly');
    expect(b.scenarios.map((s) => s.mailboxes ?? s.storage_per_mailbox_year)).toEqual([10000, 0.1]);
  });

  it.each([
    [{ items: [{ name: 'Network', spend: 1, share: 2 }] }, 'budget.items[0].share: expected a number between 0 and 1'],
    [{ items: [{ name: 'Network', spend: -5, share: 0.5 }] }, 'budget.items[0].spend: expected an amount (a number >= 0)'],
    [{ service_start: '2013-02-30' }, 'budget.service_start: expected a date YYYY-MM-DD'],
    [{ allocation: 'by-headcount' }, 'budget.allocation: expected one of evenly, storage, messages'],
    [{ storage_capacity_tb: 0 }, 'budget.storage_capacity_tb: expected a capacity in TB > 0'],
    [{ departments: [{ name: 'Maths', domains: ['dm unipi'] }] }, 'budget.departments[0].domains[0]: expected a domain such as dm.unipi.it'],
    [{ departments: [{ name: 'Maths', patterns: ['dm.unipi.it'] }] }, 'budget.departments[0].patterns[0]: expected an address pattern with one @'],
    [{ departments: [{ name: 'Maths' }] }, 'budget.departments[0].domains: expected at least one domain or pattern'],
    [{ departments: [{ name: 'Maths', domains: ['dm.unipi.it'] }, { name: 'Eng', domains: ['ing.unipi.it', 'dm.unipi.it'] }] }, 'budget.departments[1].domains[1]: domain dm.unipi.it is already mapped to department "Maths"'],
    [{ departments: [{ name: 'A', domains: ['a.it'] }, { name: 'A', domains: ['b.it'] }] }, 'budget.departments[1].name: duplicate department name "A"'],
    [{ departments: [{ name: 'Unallocated', domains: ['a.it'] }] }, 'budget.departments[0].name: "unallocated" is the bucket'],
    [{ departments: [{ name: 'A', domain: ['a.it'] }] }, 'budget.departments[0].domain: unknown key'],
    [{ scenarios: [{ name: 'x', spends: { Disks: 3 } }] }, 'budget.scenarios[0].spends.Disks: no budget item or upkeep named "Disks"'],
    [{ scenarios: [{ name: 'x', mailboxes: 2.5 }] }, 'budget.scenarios[0].mailboxes: expected a whole number of mailboxes'],
    [{ quota_snapshots: { schedule: 'every day' } }, 'budget.quota_snapshots.schedule: expected a cron expression'],
    [{ quota_snapshots: { file: '/a', command: ['doveadm'] } }, 'budget.quota_snapshots.command: give either file or command, not both'],
  ])('%j is refused naming the field', (budget, message) => {
    const p = problems({ budget });
    expect(p.some((x) => x.startsWith(message)), `${JSON.stringify(p)} should hold ${message}`).toBe(true);
  });

  it('domains are matched without regard to case', () => {
    const b = parseConfig({ budget: { departments: [{ name: 'Maths', domains: ['DM.unipi.it'] }] } }).budget;
    expect(b.departments[0]!.domains).toEqual(['dm.unipi.it']);
  });

  it('a bad model stops `postino cost` (exit 1, the field named) and writes nothing', () => {
    const dir = tempDir('postino-budget-');
    const cfg = join(dir, 'postino.yml');
    writeFileSync(cfg, 'budget:\n  departments:\n    - name: Maths\n      domains: [dm.unipi.it]\n    - name: Eng\n      domains: [dm.unipi.it]\n');
    const r = postino(['cost', '--config', cfg, '--db', join(dir, 'p.db'), '--from', '2026-11-01', '--to', '2026-11-02']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('budget.departments[1].domains[0]: domain dm.unipi.it is already mapped');
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'p.db'))).toBe(false);
    const s = postino(['serve', '--config', cfg, '--port', '0']);
    expect(s.status).toBe(1);
    expect(s.stderr).toContain('budget.departments[1].domains[0]');
  });
});
