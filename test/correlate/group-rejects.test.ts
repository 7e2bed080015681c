// groupRejects packs a batch's reject rows by their shared values for the ingest thread. Checked
// against a plain grouping by every shared value, on rows of four MXs interleaved as in a log,
// with values a hostile log can produce (a stage "null" beside a missing one, separators inside
// values, a code beside the same code as text).
import { describe, it, expect } from 'vitest';
import { groupRejects, REJECT_OWN_WIDTH, type RejectRow } from '../../collectors/correlate/records';

function row(i: number, over: Partial<RejectRow> = {}): RejectRow {
  return {
    at: 1_773_100_000 + i,
    host: `mx${(i % 4) + 1}.unipi.it`,
    service: 'postscreen',
    action: 'reject',
    qid: null,
    messageRow: null,
    stage: 'RCPT',
    clientIp: `198.51.100.${i % 250}`,
    clientHost: null,
    helo: `helo${i}`,
    sender: `s${i}@example.org`,
    recipient: `r${i}@unipi.it`,
    code: 550,
    enhanced: '5.7.1',
    reasonClass: 'dnsbl',
    reply: `Service unavailable; client [198.51.100.${i % 250}] blocked using zen.spamhaus.org`,
    greylist: false,
    ...over,
  };
}

const sharedOf = (r: RejectRow) => [r.host, r.service, r.action, r.qid, r.messageRow, r.stage, r.code, r.enhanced, r.reasonClass, r.greylist ? 1 : 0];

/** The plain grouping: by all shared values (JSON keeps null, "null" and 550 vs "550" apart). */
function reference(rows: RejectRow[]): Array<{ shared: unknown[]; rows: unknown[] }> {
  const groups = new Map<string, { shared: unknown[]; rows: unknown[] }>();
  for (const r of rows) {
    const key = JSON.stringify(sharedOf(r));
    if (!groups.has(key)) groups.set(key, { shared: sharedOf(r), rows: [] });
    groups.get(key)!.rows.push(r.at, r.clientIp, r.clientHost, r.helo, r.sender, r.recipient, r.reply);
  }
  return [...groups.values()];
}

describe('groupRejects', () => {
  it('groups interleaved rows of several MXs exactly as a grouping by every shared value does', () => {
    const rows: RejectRow[] = [];
    // each variant but one differs from the common row in one shared value only
    const variants: Array<Partial<RejectRow>> = [
      {},
      {},
      {},
      { stage: 'null' },
      { stage: null },
      { service: 'smtpd', qid: 'ABC12345DE', messageRow: 7, action: 'milter-reject', stage: 'END-OF-MESSAGE' },
      { greylist: true },
      { reasonClass: 'dnsbl,550' },
      { host: '4:mx1.unipi.it' },
      { code: null },
      { service: 'smtpd' },
      { action: 'reject_warning' },
      { qid: 'ABC12345DE' },
      { messageRow: 7 },
      { enhanced: '5.7.0' },
      { code: 554 },
    ];
    // Four MXs interleaved (row i from MX i % 4); each MX alternates a common row and a variant,
    // so that each variant follows a row of its own MX that differs from it in that value only.
    for (let i = 0; i < 512; i++) {
      const block = Math.floor(i / 4);
      rows.push(row(i, block % 2 === 0 ? {} : variants[Math.floor(block / 2) % variants.length]));
    }
    const groups = groupRejects(rows);
    expect(groups).toEqual(reference(rows));
    expect(groups.length).toBeGreaterThan(20);
    expect(groups.reduce((n, g) => n + g.rows.length / REJECT_OWN_WIDTH, 0)).toBe(rows.length);
  });
});
