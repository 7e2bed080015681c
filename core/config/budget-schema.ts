// The cost model of the mail service (`budget:` in postino.yml). Defaults are the seed's 2013
// figures (seed/BRIEF.md): the program must refuse a wrong model before anything starts, so
// every cross-field rule (duplicate names, a domain in two departments, a scenario naming an
// unknown item) is an error with the path of the field.
import cron from 'node-cron';
import { z } from 'zod';
import { isCalendarDate } from '../time/local-time';

const share = z
  .number({ message: 'expected a number between 0 and 1' })
  .min(0, 'expected a number between 0 and 1')
  .max(1, 'expected a number between 0 and 1');
const money = z.number({ message: 'expected an amount (a number >= 0)' }).nonnegative('expected an amount (a number >= 0)');
const date = z.string({ message: 'expected a date YYYY-MM-DD' }).refine(isCalendarDate, 'expected a date YYYY-MM-DD');
const name = z.string({ message: 'expected a name' }).min(1, 'expected a name');

/** A mail domain as it appears after the @ (lower case, no wildcard: patterns take those). */
const domain = z
  .string({ message: 'expected a domain such as dm.unipi.it' })
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'expected a domain such as dm.unipi.it')
  .transform((d) => d.toLowerCase());

/** A glob on the whole address: `*` any run of characters, `?` one; it must hold an @. */
const pattern = z
  .string({ message: 'expected an address pattern such as *@dm.unipi.it' })
  .refine((p) => /^[^@\s]+@[^@\s]+$/.test(p), 'expected an address pattern with one @, such as *.math@unipi.it');

const budgetItem = z.strictObject({
  name,
  spend: money,
  share,
  /** disks, controllers, backup: what the storage figures and the Ceph scenario replace */
  storage: z.boolean().default(false),
});
const upkeepItem = z.strictObject({ name, amount: money, share: share.default(1), storage: z.boolean().default(false) });

const departmentSchema = z
  .strictObject({
    name,
    domains: z.array(domain).default([]),
    patterns: z.array(pattern).default([]),
  })
  .refine((d) => d.domains.length + d.patterns.length > 0, { message: 'expected at least one domain or pattern', path: ['domains'] });

export const allocationMethods = ['evenly', 'storage', 'messages'] as const;
export type AllocationMethod = (typeof allocationMethods)[number];

const scenarioSchema = z.strictObject({
  name,
  /** another mailbox count (the seed's fully loaded 10,000) */
  mailboxes: z.number().int('expected a whole number of mailboxes').positive('expected a number of mailboxes > 0').optional(),
  quota_gb: z.number().positive('expected a quota in GB > 0').optional(),
  /** other spends: item (or upkeep) name -> amount */
  spends: z.record(z.string(), money).default({}),
  /** storage bought as a service per mailbox and year (planned Ceph: 0.10), replacing the storage items */
  storage_per_mailbox_year: money.optional(),
});

const quotaSourceSchema = z.strictObject({
  /** a file holding `doveadm -f tab quota get -A` output, read on schedule */
  file: z.string().min(1).nullable().default(null),
  /** or a command printing it, e.g. `doveadm -f tab quota get -A` (run without a shell) */
  command: z.array(z.string().min(1)).min(1, 'expected the command and its arguments').nullable().default(null),
  /** node-cron expression, in the configured time zone */
  schedule: z.string().refine((s) => cron.validate(s), 'expected a cron expression such as "15 2 * * *"').default('15 2 * * *'),
});

/** The seed's 2013 cost model (seed/BRIEF.md). */
export const defaultBudget = {
  currency: 'EUR',
  lifetime_years: 5,
  service_start: '2013-01-01',
  replace_at_end_of_life: true,
  items: [
    { name: 'Network', spend: 40_000, share: 0.1, storage: false },
    { name: 'Computing', spend: 24_000, share: 0.2, storage: false },
    { name: 'Physical infrastructure', spend: 15_000, share: 0.1, storage: false },
    { name: 'Storage dedicated to mail, backup included', spend: 18_000, share: 1, storage: true },
  ],
  one_off_upkeep: [{ name: 'Disk stock', amount: 5_000, share: 1, storage: true }],
  yearly_upkeep: [{ name: 'Power (6 kW, whole infrastructure)', amount: 10_000, share: 0.2, storage: false }],
  mailboxes: null as number | null,
  quota_gb: 10,
  storage_capacity_tb: 5,
  budgeted_yearly_cost: null as number | null,
  departments: [] as Array<{ name: string; domains: string[]; patterns: string[] }>,
  allocation: 'evenly' as AllocationMethod,
  scenarios: [
    { name: 'Fully loaded: 10,000 mailboxes', mailboxes: 10_000, spends: {} as Record<string, number> },
    { name: 'Ceph storage: 0.10 per mailbox a year', storage_per_mailbox_year: 0.1, spends: {} as Record<string, number> },
  ],
  quota_snapshots: { file: null as string | null, command: null as string[] | null, schedule: '15 2 * * *' },
};

export const budgetSchema = z
  .strictObject({
    currency: z.string().min(1).default(defaultBudget.currency),
    lifetime_years: z.number().positive('expected a number of years > 0').default(defaultBudget.lifetime_years),
    /** first day of service: investment is written off from here, over lifetime_years */
    service_start: date.default(defaultBudget.service_start),
    /** at the end of its lifetime the system is bought again at the same spend (so depreciation goes on) */
    replace_at_end_of_life: z.boolean().default(defaultBudget.replace_at_end_of_life),
    items: z.array(budgetItem).default(defaultBudget.items),
    one_off_upkeep: z.array(upkeepItem).default(defaultBudget.one_off_upkeep),
    yearly_upkeep: z.array(upkeepItem).default(defaultBudget.yearly_upkeep),
    /** fixed mailbox count; null = count distinct local mailboxes seen in the window */
    mailboxes: z.number().int('expected a whole number of mailboxes').positive('expected a number of mailboxes > 0').nullable().default(null),
    quota_gb: z.number().positive('expected a quota in GB > 0').default(defaultBudget.quota_gb),
    /** usable capacity of the mailbox storage (the seed: 5 TB on DRBD) */
    storage_capacity_tb: z.number().positive('expected a capacity in TB > 0').default(defaultBudget.storage_capacity_tb),
    /** null = the model's own full yearly cost */
    budgeted_yearly_cost: money.nullable().default(null),
    departments: z.array(departmentSchema).default([]),
    allocation: z.enum(allocationMethods, { message: `expected one of ${allocationMethods.join(', ')}` }).default(defaultBudget.allocation),
    scenarios: z.array(scenarioSchema).default(defaultBudget.scenarios),
    quota_snapshots: quotaSourceSchema.default(defaultBudget.quota_snapshots),
  })
  .superRefine((b, ctx) => {
    const unique = (names: string[], path: (i: number) => PropertyKey[], what: string): void => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} name "${n}"` });
        seen.add(n);
      });
    };
    unique(b.items.map((x) => x.name), (i) => ['items', i, 'name'], 'item');
    unique(b.departments.map((x) => x.name), (i) => ['departments', i, 'name'], 'department');
    unique(b.scenarios.map((x) => x.name), (i) => ['scenarios', i, 'name'], 'scenario');
    if (b.departments.some((d) => d.name.toLowerCase() === 'unallocated')) {
      const i = b.departments.findIndex((d) => d.name.toLowerCase() === 'unallocated');
      ctx.addIssue({ code: 'custom', path: ['departments', i, 'name'], message: '"unallocated" is the bucket of unmapped addresses: choose another name' });
    }
    const owner = new Map<string, string>();
    b.departments.forEach((d, i) =>
      d.domains.forEach((dom, j) => {
        const other = owner.get(dom);
        if (other !== undefined && other !== d.name) {
          ctx.addIssue({ code: 'custom', path: ['departments', i, 'domains', j], message: `domain ${dom} is already mapped to department "${other}"` });
        }
        owner.set(dom, d.name);
      }),
    );
    const spendable = new Set([...b.items, ...b.one_off_upkeep, ...b.yearly_upkeep].map((x) => x.name));
    b.scenarios.forEach((s, i) => {
      for (const key of Object.keys(s.spends)) {
        if (!spendable.has(key)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'spends', key], message: `no budget item or upkeep named "${key}"` });
      }
    });
    if (b.quota_snapshots.file !== null && b.quota_snapshots.command !== null) {
      ctx.addIssue({ code: 'custom', path: ['quota_snapshots', 'command'], message: 'give either file or command, not both' });
    }
  });

export type BudgetConfig = z.infer<typeof budgetSchema>;
export type DepartmentConfig = BudgetConfig['departments'][number];
export type ScenarioConfig = BudgetConfig['scenarios'][number];
