// Generated logs with planted cases raise exactly the planted signals, and none on the rest of
// the data; the country figures add up to the generator's truth.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { plantedRun, PLANTED_START, PLANTED_END, type PlantedRun } from '../helpers/planted';
import { runDetection, listSignals, setSignalState, openSignalCounts } from '../../signals/queries';
import { openGeoIp } from '../../collectors/enrich/geoip';
import { geoFigures } from '../../collectors/enrich/geo-figures';
import { dayBounds } from '../../core/time/local-time';
import { postino } from '../helpers/cli';
import { writeFileSync } from 'node:fs';

let run: PlantedRun;
const tz = 'Europe/Rome';
const range = (): [number, number] => [dayBounds(tz, PLANTED_START)[0], dayBounds(tz, PLANTED_END)[1]];
const key = (s: { kind: string; subject: string }): string => `${s.kind} ${s.subject}`;

beforeAll(async () => {
  run = await plantedRun();
}, 120_000);
afterAll(() => {
  run.db.close();
  rmSync(run.dir, { recursive: true, force: true });
});

describe('planted cases', () => {
  it('raise exactly the planted signals', () => {
    const found = runDetection(run.db, run.config, openGeoIp(run.config.geoip), ...range(), 1);
    expect(found.map(key).sort()).toEqual(run.truth.signals.map(key).sort());
    const byKey = new Map(found.map((s) => [key(s), s]));
    const travel = run.truth.signals.find((s) => s.kind === 'impossible_travel')!;
    expect(byKey.get(key(travel))!.countries).toEqual(['BR', 'IT']);
    const forced = run.truth.signals.find((s) => s.kind === 'new_country' && byKey.get(key(s))!.countries![0] === 'RO')!;
    expect(byKey.get(key(forced))!.severity).toBe('high'); // right after failed logins
    const burst = found.find((s) => s.kind === 'outbound_burst')!;
    expect(burst.count).toBe(300);
    expect(burst.countries).toEqual(['NG']);
  });

  it('a learning period longer than the history hides the new-country signals, and only those', async () => {
    // a long learning period: the two new-country signals go, the rest stay
    const strict = { ...run.config, signals: { ...run.config.signals, learning_days: 30 } };
    const found = runDetection(run.db, strict, openGeoIp(run.config.geoip), ...range(), 1);
    expect(found.filter((s) => s.kind === 'new_country')).toEqual([]);
    expect(found.length).toBe(run.truth.signals.length - 2);
  });

  it('keep the operator state when detection runs again', () => {
    const [start, end] = range();
    runDetection(run.db, run.config, openGeoIp(run.config.geoip), start, end, 1);
    const s = listSignals(run.db, start, end, 'open').find((x) => x.kind === 'impossible_travel')!;
    expect(setSignalState(run.db, s.id, 'acknowledged', 'user was on a VPN?', 'operator', 2)).toBe(true);
    runDetection(run.db, run.config, openGeoIp(run.config.geoip), start, end, 3);
    const again = listSignals(run.db, start, end, null).find((x) => x.id === s.id)!;
    expect(again.state).toBe('acknowledged');
    expect(again.note).toBe('user was on a VPN?');
    const open = openSignalCounts(run.db).reduce((n, c) => n + c.n, 0);
    expect(open).toBe(run.truth.signals.length - 1);
  });

  it('country figures add up to the summary figures', () => {
    const countries = geoFigures(run.db, tz, PLANTED_START, PLANTED_END);
    const sum = (f: (c: (typeof countries)[number]) => number): number => countries.reduce((n, c) => n + f(c), 0);
    const truth = (name: string): number => run.truth.days.reduce((n, d) => n + Number(d[name]), 0);
    expect(sum((c) => c.connections)).toBe(truth('connections'));
    expect(sum((c) => c.passed)).toBe(truth('connections_passed'));
    expect(sum((c) => c.logins.imap)).toBe(truth('imap_logins'));
    expect(sum((c) => c.logins.pop3)).toBe(truth('pop3_logins'));
    expect(sum((c) => c.submissions)).toBe(truth('outbound_submitted'));
    expect(sum((c) => c.smtp_auth_failures)).toBe(truth('sasl_auth_failures'));
    // ordinary users log in from Italy only: the other login countries are the planted ones
    const loginCountries = countries.filter((c) => c.logins.imap + c.logins.pop3 > 0).map((c) => c.country).sort();
    expect(loginCountries).toEqual(['BR', 'IT', 'RO']);
    expect(countries.find((c) => c.country === 'NG')!.submissions).toBe(25);
  });

  it('`postino signals --json` prints the shape of the issue', () => {
    const cfg = join(run.dir, 'postino.yml');
    writeFileSync(cfg, 'demo: false\nsignals:\n  learning_days: 1\n');
    const r = postino(['signals', '--db', join(run.dir, 'p.db'), '--config', cfg, '--from', PLANTED_START, '--to', PLANTED_END, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { signals: Array<Record<string, unknown>> };
    expect(out.signals.map((s) => key(s as { kind: string; subject: string })).sort()).toEqual(run.truth.signals.map(key).sort());
    for (const s of out.signals) {
      expect(Object.keys(s).filter((k) => k !== 'countries')).toEqual(['kind', 'subject', 'severity', 'first_at', 'last_at', 'count']);
      expect(s.first_at as number).toBeLessThanOrEqual(s.last_at as number);
    }
    expect(postino(['signals', '--db', join(run.dir, 'p.db'), '--from', '2026-03-05', '--to', '2026-03-01']).status).toBe(1);
    expect(postino(['signals', '--db', join(run.dir, 'p.db'), '--from', 'yesterday', '--to', '2026-03-01']).status).toBeGreaterThan(0);
  });
});
