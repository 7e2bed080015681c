// The `reports:` section of postino.yml: where monthly PDF reports are written, when the
// scheduled one runs, its language, and the optional mail delivery through an SMTP relay.
import { z } from 'zod';
import cron from 'node-cron';

export const reportLanguages = ['it', 'en'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

const cronExpression = z.string().refine((v) => cron.validate(v), { message: 'expected a cron expression such as "0 6 1 * *"' });

const smtpSchema = z.strictObject({
  host: z.string().min(1).default('localhost'),
  port: z.number().int().min(1).max(65535).default(25),
  /** TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when offered */
  secure: z.boolean().default(false),
  /** SMTP AUTH; null = none */
  auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1) }).nullable().default(null),
});

const defaultSmtp = { host: 'localhost', port: 25, secure: false, auth: null };

const mailSchema = z.strictObject({
  /** addresses the monthly report is sent to; empty = no mail */
  recipients: z.array(z.email({ message: 'expected an e-mail address' })).default([]),
  from: z.string().min(1).default('postino@localhost'),
  smtp: smtpSchema.default(defaultSmtp),
});

export const reportsSchema = z
  .strictObject({
    /** folder of the monthly reports: YYYY-MM.pdf with its model YYYY-MM.json beside it */
    folder: z.string().min(1).default('./data/reports'),
    /** when last month's report is written (node-cron, in config.timezone): the 1st at 06:00 */
    schedule: cronExpression.default('0 6 1 * *'),
    /** false: no scheduled report (the CLI and the page still generate them) */
    scheduled: z.boolean().default(true),
    language: z.enum(reportLanguages).default('it'),
    mail: mailSchema.default({ recipients: [], from: 'postino@localhost', smtp: defaultSmtp }),
  })
  .default({ folder: './data/reports', schedule: '0 6 1 * *', scheduled: true, language: 'it', mail: { recipients: [], from: 'postino@localhost', smtp: defaultSmtp } });

export type ReportsConfig = z.infer<typeof reportsSchema>;
