// The `signals:` section: thresholds of the compromised-account and attack signals.
import { z } from 'zod';

const count = z.number().int().positive();

export const signalsSchema = z
  .strictObject({
    /** recipients a user submits in one hour that raise outbound_burst on their own */
    outbound_recipients_per_hour: count.default(200),
    /** ... or this many times the user's own usual hourly rate (learned over `learning_days`) */
    outbound_factor: z.number().positive().default(10),
    /** the factor applies only above this many recipients in the hour */
    outbound_factor_min_recipients: count.default(50),
    /** outbound messages blocked as spam (Amavis, ORIGINATING) per user and day */
    outbound_spam_per_day: count.default(3),
    /** bounces of one user's mail in one hour */
    bounces_per_hour: count.default(20),
    /** failed SMTP AUTH per client address within `bruteforce_window_minutes` */
    smtp_auth_failures: count.default(20),
    /** failed IMAP/POP logins per client address or per user within the window */
    login_failures: count.default(20),
    bruteforce_window_minutes: count.default(60),
    /** days of a user's history before a new country is news */
    learning_days: count.default(7),
    /** failed logins within this many minutes before a login from a new country raise its severity */
    new_country_failures_minutes: count.default(60),
    /** impossible travel: two logins needing more than this speed ... */
    travel_speed_kmh: z.number().positive().default(900),
    /** ... and farther apart than this */
    travel_min_km: z.number().positive().default(500),
    /** logins considered when looking for impossible travel: within this many hours */
    travel_window_hours: count.default(6),
  })
  .default({
    outbound_recipients_per_hour: 200,
    outbound_factor: 10,
    outbound_factor_min_recipients: 50,
    outbound_spam_per_day: 3,
    bounces_per_hour: 20,
    smtp_auth_failures: 20,
    login_failures: 20,
    bruteforce_window_minutes: 60,
    learning_days: 7,
    new_country_failures_minutes: 60,
    travel_speed_kmh: 900,
    travel_min_km: 500,
    travel_window_hours: 6,
  });

export type SignalsConfig = z.infer<typeof signalsSchema>;
