// The seed's cost model (seed/BRIEF.md, METRICS.md Cost) to the cent, through the config's
// defaults: 5,000 mailboxes give 5.66 / 0.60 / 1.73; 10,000 give 2.83; scenarios use the same model.
import { describe, it, expect } from 'vitest';
import { parseConfig } from '../../core/config/load';
import { computeFigures, roundFigures, scenarioFigures, yearsBetween, type Usage } from '../../cost/model';
import { costModel } from '../../cost/index';

const model = costModel(parseConfig({}));
const usage = (mailboxes: number, extra: Partial<Usage> = {}): Usage => ({ mailboxes, delivered: 0, years: 1, used_gb: null, ...extra });

describe('the seed model', () => {
  it('5,000 mailboxes: investment 5.66, running 0.60 a year, full 1.73 a year', () => {
    const f = roundFigures(computeFigures(model, usage(5000)));
    expect(f.investment).toBe(28300);
    expect(f.investment_per_mailbox).toBe(5.66);
    expect(f.running_per_mailbox_year).toBe(0.6);
    expect(f.full_per_mailbox_year).toBe(1.73);
    expect(f.full_year).toBe(8660);
  });

  it('10,000 mailboxes (fully loaded): investment 2.83', () => {
    const f = roundFigures(computeFigures(model, usage(10000)));
    expect(f.investment_per_mailbox).toBe(2.83);
    expect(f.running_per_mailbox_year).toBe(0.3);
    expect(f.full_per_mailbox_year).toBe(0.87);
  });

  it('per GB of quota and used, per delivered message, storage share', () => {
    // 16,000 delivered a day for a year, 1 GB used per mailbox (the seed's average)
    const f = roundFigures(computeFigures(model, usage(5000, { delivered: 16000 * 365, used_gb: 5000 })));
    expect(f.per_gb_quota_year).toBe(0.17); // 8,660 / 50,000 GB
    expect(f.per_gb_used_year).toBe(1.73); // 8,660 / 5,000 GB
    expect(f.per_delivered_message).toBe(0.0015); // 8,660 / 5.84 M, to the hundredth of a cent
    expect(f.storage_year).toBe(4600); // (18,000 + 5,000) / 5
    expect(f.storage_per_gb_used_year).toBe(0.92);
    expect(f.storage_fraction).toBeCloseTo(4600 / 8660, 4);
  });

  it('no mailboxes: per-mailbox figures are null, not infinite', () => {
    const f = roundFigures(computeFigures(model, usage(0)));
    expect(f.investment_per_mailbox).toBeNull();
    expect(f.per_gb_used_year).toBeNull();
  });

  it('scenarios: the default config holds the fully loaded and the Ceph ones', () => {
    const b = parseConfig({}).budget;
    const [loaded, ceph] = b.scenarios.map((s) => scenarioFigures(model, usage(5000, { delivered: 1000, used_gb: 5000 }), s));
    expect(loaded!.mailboxes).toBe(10000);
    expect(loaded!.investment_per_mailbox).toBe(2.83);
    // Ceph: storage items and disk stock replaced by 0.10 per mailbox a year
    expect(ceph!.investment_per_mailbox).toBe(2.06); // 10,300 / 5,000
    expect(ceph!.running_per_mailbox_year).toBe(0.5); // 2,000 / 5,000 + 0.10
    expect(ceph!.storage_year).toBe(500);
  });

  it('a scenario changes a spend by name', () => {
    const f = scenarioFigures(model, usage(5000), { name: 'cheaper storage', spends: { 'Storage dedicated to mail, backup included': 9000 } });
    expect(f.investment_per_mailbox).toBe(3.86); // 19,300 / 5,000
  });

  it('years of a window count each day in its own year', () => {
    expect(yearsBetween('2026-01-01', '2026-12-31')).toBeCloseTo(1, 12);
    expect(yearsBetween('2028-01-01', '2028-12-31')).toBeCloseTo(1, 12);
    expect(yearsBetween('2026-11-01', '2026-11-30')).toBeCloseTo(30 / 365, 12);
  });
});
