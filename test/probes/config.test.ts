// The probes: sub-schema: defaults, the service from the type, errors naming their path, and
// no password in an error message.
import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError } from '../../core/config/load';

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('probes config', () => {
  it('has no probes by default, and fills each probe with its defaults', () => {
    expect(parseConfig({}).probes).toEqual([]);
    const [smtp, imap, pop3, http] = parseConfig({
      probes: [
        { name: 'a', type: 'smtp', host: 'mx1', target: 'mx1.unipi.it:25' },
        { name: 'b', type: 'imap', host: 'imap1', target: 'imap.unipi.it', tls: 'implicit' },
        { name: 'c', type: 'pop3', host: 'pop1', target: '[2001:db8::1]:110' },
        { name: 'd', type: 'http', host: 'webmail', target: 'https://webmail.unipi.it/' },
      ],
    }).probes;
    expect(smtp).toEqual({ name: 'a', type: 'smtp', host: 'mx1', service: 'smtp-in', target: 'mx1.unipi.it:25', tls: 'none', tls_verify: true, check_cert: true, helo: 'postino-probe.invalid', interval_s: 10, timeout_s: 5 });
    expect([imap!.service, pop3!.service, http!.service]).toEqual(['imap', 'pop3', 'webmail']);
    expect(parseConfig({ probes: [{ name: 'x', type: 'smtp', host: 'relay1', service: 'smtp-out', target: 'relay1:587', tls: 'starttls' }] }).probes[0]!.service).toBe('smtp-out');
  });

  it('names the path of every mistake', () => {
    expect(problemsOf({ probes: [{ name: 'a', type: 'ftp', host: 'h', target: 'h:21' }] })).toEqual(['probes[0].type: Invalid option: expected one of "smtp"|"imap"|"pop3"|"http"']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'smtp', host: 'h', target: 'h:99999' }] })).toEqual(['probes[0].target: expected host:port (port 1-65535)']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'http', host: 'h', target: 'ftp://h/' }] })).toEqual(['probes[0].target: expected an http:// or https:// URL']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'smtp', host: 'h', target: 'h:25', intervall_s: 5 }] })).toEqual(['probes[0].intervall_s: unknown key']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'smtp', host: 'h', target: 'h:25', service: 'ftp' }] })[0]).toMatch(/^probes\[0\]\.service: /);
    expect(problemsOf({ probes: [{ name: 'a', type: 'smtp', host: 'h', target: 'h:25', timeout_s: 0 }] })).toEqual(['probes[0].timeout_s: expected a number of seconds > 0']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'smtp', host: 'h', target: 'h:25', login: { user: 'u', password: 'p' } }] })).toEqual(['probes[0].login: a login is only for imap and pop3 probes']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'http', host: 'h', target: 'http://h/', tls: 'starttls' }] })).toEqual(['probes[0].tls: http has no STARTTLS: use an https:// URL']);
    expect(
      problemsOf({
        probes: [
          { name: 'a', type: 'smtp', host: 'h', target: 'h:25' },
          { name: 'a', type: 'smtp', host: 'h', target: 'h:26' },
        ],
      }),
    ).toEqual(['probes[1].name: duplicate probe name "a"']);
  });

  it('takes exactly one password source, and never repeats a password in an error', () => {
    const secret = 'Hunter2-secret-pw';
    const both = problemsOf({ probes: [{ name: 'a', type: 'imap', host: 'h', target: 'h:143', login: { user: 'u', password: secret, password_env: 'PW' } }] });
    expect(both).toEqual(['probes[0].login: expected exactly one of password, password_env, password_file']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'imap', host: 'h', target: 'h:143', login: { user: 'u' } }] })).toEqual(['probes[0].login: expected exactly one of password, password_env, password_file']);
    const creds = problemsOf({ probes: [{ name: 'a', type: 'http', host: 'h', target: `https://u:${secret}@webmail/` }] });
    expect(creds).toEqual(['probes[0].target: credentials in the URL are not allowed']);
    expect(problemsOf({ probes: [{ name: 'a', type: 'imap', host: 'h', target: 'h:143', login: { user: 'u', password: 42, pasword: secret } }] }).join('\n')).not.toContain(secret);
  });
});
