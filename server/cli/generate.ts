// `postino generate`: realistic central logs of the observed system, with their truth.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolveConfig, parseDate, parsePositive, UsageError, type CommonOptions } from './context';

interface GenerateCliOptions extends CommonOptions {
  days: string;
  scale: string;
  start: string;
  out: string;
  truth?: string;
  seed?: string;
  outage?: boolean;
  queueIds: string;
  quotaOut?: string;
  planted?: boolean;
  outagePlan?: string;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write realistic logs (4 MX with postscreen, Amavis, 2 SASL relays, Dovecot proxies + 2 mailbox servers)')
    .requiredOption('--days <n>', 'number of days')
    .option('--scale <s>', '1 = the seed day: 1,000,000 connections, 16,000 delivered', '1')
    .requiredOption('--start <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'output file (.gz to compress)')
    .option('--truth <file>', 'write the figures the generator knows it wrote, as summary --json does')
    .option('--seed <n>', 'random seed', '1')
    .option('--no-outage', 'no mailbox-server outage on the first day')
    .option('--queue-ids <form>', 'queue id form: short (hexadecimal) or long (enable_long_queue_ids)', 'short')
    .option('--quota-out <dir>', 'also write a `doveadm -f tab quota get -A` snapshot a day into DIR (quota-YYYY-MM-DD.tsv)')
    .option('--planted', 'plant compromised accounts and attacks on the last day (their signals go in the truth)')
    .option('--outage-plan <plan>', 'default (mbox1 down 20 min at 03:00), none, or sla (docs/sla.md: an MX, a mailbox server and a filter down on the first day)')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--tz <zone>', 'time zone of the stamps')
    .action(async (opts: GenerateCliOptions) => {
      const config = resolveConfig(opts);
      const days = parsePositive(opts.days, '--days', { integer: true });
      const scale = parsePositive(opts.scale, '--scale');
      const seed = Number(opts.seed ?? '1');
      if (!Number.isInteger(seed)) throw new UsageError(`--seed: expected an integer, got "${opts.seed}"`);
      const start = parseDate(opts.start, '--start');
      if (opts.queueIds !== 'short' && opts.queueIds !== 'long') throw new UsageError(`--queue-ids: expected short or long, got "${opts.queueIds}"`);
      const plan = opts.outage === false ? 'none' : (opts.outagePlan ?? 'default');
      if (plan !== 'default' && plan !== 'none' && plan !== 'sla') throw new UsageError(`--outage-plan: expected default, none or sla, got "${plan}"`);
      // Loaded on demand: the generator is big and most commands never need it.
      const { generateToFile } = await import('../../collectors/generate/index');
      const result = await generateToFile(
        { start, days, scale, tz: config.timezone, seed, outagePlan: plan, queueIds: opts.queueIds, planted: opts.planted === true },
        opts.out,
      );
      const quota = opts.quotaOut ? (await import('../../collectors/generate/quota-snapshots')).writeQuotaSnapshots({ start, days, scale, seed }, opts.quotaOut) : undefined;
      if (opts.truth) writeFileSync(opts.truth, JSON.stringify(quota ? { ...result.truth, quota } : result.truth) + '\n');
      process.stderr.write(`${result.lines} lines written to ${opts.out}\n`);
    });
}
