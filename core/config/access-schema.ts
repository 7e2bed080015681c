// Access settings: sessions, the audit trail's retention, live-feed limits and sign-in
// throttling. One block (`access:` in postino.yml); every key has a default.
import { z } from 'zod';

const positiveInt = (what: string) => z.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

export const accessDefaults = {
  /** a user's session ends after this long without a request */
  session_idle_minutes: 60,
  /** and in any case this long after sign-in */
  session_max_hours: 12,
  /** a wall (kiosk) session lives this long; its screen keeps the stream open meanwhile */
  wall_session_days: 30,
  /** and ends sooner when its screen asked nothing for this long (a wall asks every minute) */
  wall_session_idle_hours: 24,
  /** sessions kept per kiosk token: a flood of /wall?token= reuses these, never evicts others */
  kiosk_sessions_per_token: 4,
  /** audit rows are purged after this many days */
  audit_retention_days: 400,
  /** open /api/live streams per session (or per wall token) */
  live_streams_per_session: 4,
  /** open /api/live streams in total */
  live_streams_total: 200,
};

export const accessSchema = z
  .strictObject({
    session_idle_minutes: positiveInt('a number of minutes').default(accessDefaults.session_idle_minutes),
    session_max_hours: positiveInt('a number of hours').default(accessDefaults.session_max_hours),
    wall_session_days: positiveInt('a number of days').default(accessDefaults.wall_session_days),
    wall_session_idle_hours: positiveInt('a number of hours').default(accessDefaults.wall_session_idle_hours),
    kiosk_sessions_per_token: positiveInt('a number of sessions').max(100).default(accessDefaults.kiosk_sessions_per_token),
    audit_retention_days: positiveInt('a number of days').default(accessDefaults.audit_retention_days),
    live_streams_per_session: positiveInt('a number of streams').default(accessDefaults.live_streams_per_session),
    live_streams_total: positiveInt('a number of streams').default(accessDefaults.live_streams_total),
  })
  .default(accessDefaults);

export type AccessConfig = z.infer<typeof accessSchema>;
