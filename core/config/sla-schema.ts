// The `sla:` section of postino.yml: the availability target, planned maintenance and the
// few times the accounting needs (see docs/sla.md).
import { z } from 'zod';
import { serviceNames } from '../services';

const isoDateTime = z.string().datetime({ offset: true, message: 'expected an ISO 8601 date-time' });

const maintenanceSchema = z
  .strictObject({
    from: isoDateTime,
    to: isoDateTime,
    /** the services it takes down; [] = all of them */
    services: z.array(z.enum(serviceNames, { message: `expected one of ${serviceNames.join(', ')}` })).default([]),
    note: z.string().default(''),
  })
  .refine((m) => Date.parse(m.from) < Date.parse(m.to), { message: 'from must be before to' });

const seconds = (d: number) => z.number({ message: 'expected a number of seconds' }).int('expected whole seconds').min(0, 'expected seconds >= 0').default(d);

export const slaDefaults = {
  target: 0.99999,
  maintenance: [] as Array<z.infer<typeof maintenanceSchema>>,
  quiet_after_s: 600,
  merge_gap_s: 300,
  unreachable_gap_s: 300,
  learn_days: 7,
};

export const slaSchema = z
  .strictObject({
    /** availability promised, as a share (0.99999 = five nines: 26 s a month) */
    target: z.number().min(0).max(1).default(slaDefaults.target),
    maintenance: z.array(maintenanceSchema).default([]),
    /** a host that logs nothing this long while other hosts log is down; 0 = never */
    quiet_after_s: seconds(slaDefaults.quiet_after_s),
    /** outages of one service less than this apart form one incident */
    merge_gap_s: seconds(slaDefaults.merge_gap_s),
    /** refusals further apart than this (with no success seen between) are separate outages */
    unreachable_gap_s: seconds(slaDefaults.unreachable_gap_s),
    /** when roles are not configured, learn them from this many days of logs before the window's end */
    learn_days: z.number().int().min(1).max(90).default(slaDefaults.learn_days),
  })
  .default(slaDefaults);

export type SlaConfig = z.infer<typeof slaSchema>;
