// Regression: a generated day (seed 1, scale 1, 2026-03-10) counted 996,581 connections against
// its truth of 996,580 postscreen CONNECT lines. The extra one was a submission session that
// connected at 23:59:58 on a relay without postscreen, its AUTH and disconnect lines after the
// end of the log: the session never ended, so it was counted as an inbound connection.
// METRICS.md: submission sessions are not inbound connections, AUTH or not.
import { describe, it, expect, afterEach } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers/env';
import { DAY } from '../helpers/lines';

let env: TestEnv | null = null;
afterEach(() => {
  env?.close();
  env = null;
});

const counted = (e: TestEnv): number => (e.db.prepare(`SELECT count(*) AS n FROM connections WHERE counted = 1`).get() as { n: number }).n;

describe('an smtpd session whose end never comes', () => {
  it('on postfix/submission/smtpd: not an inbound connection', async () => {
    env = await makeEnv([`${DAY} 23:59:58 smtp-out1.unipi.it postfix/submission/smtpd[46483]: connect from unknown[119.230.67.203]`]);
    expect(counted(env)).toBe(0);
  });

  it('on postfix/smtpd of a host without postscreen: counted (as METRICS.md says, when it expires)', async () => {
    env = await makeEnv([`${DAY} 23:59:58 smtp-out1.unipi.it postfix/smtpd[46483]: connect from unknown[119.230.67.203]`]);
    expect(counted(env)).toBe(1);
  });
});
