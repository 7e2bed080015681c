// The tracker keeps IPv4 connections in a hash table of its own (typed arrays, deleted slots,
// growth). Driven by the same random dialogues as a plain Map model of the rules (count a
// connect and a pass on their minute; an outcome, the first violation or the pass or the
// disconnect, on the minute the connection started; a connection silent for 10 minutes times
// out), it must give the same tallies and open connections, and survive a snapshot round trip.
import { describe, it, expect } from 'vitest';
import { PostscreenTracker, type PostscreenState, type Tallies } from '../../collectors/correlate/postscreen-tracker';
import { Rng } from '../../collectors/generate/prng';

interface Open {
  at: number;
  outcome: string | null;
  rank: number | null;
}

/** The rules, written plainly. */
class Model {
  open = new Map<string, Open>();
  tally = new Map<string, number>();
  private add(at: number, host: string, metric: string): void {
    const k = `${Math.floor(at / 60) * 60}|${host}|${metric}`;
    this.tally.set(k, (this.tally.get(k) ?? 0) + 1);
  }
  connect(at: number, host: string, key: string): void {
    this.add(at, host, 'connect');
    const prev = this.open.get(`${host}|${key}`);
    if (prev) this.add(prev.at, host, `outcome:${prev.outcome ?? 'disconnect'}`);
    this.open.set(`${host}|${key}`, { at, outcome: null, rank: null });
  }
  pass(at: number, host: string, key: string, how: string): void {
    this.add(at, host, 'pass');
    const c = this.open.get(`${host}|${key}`);
    if (c) {
      this.open.delete(`${host}|${key}`);
      this.add(c.at, host, `outcome:${how === 'old' ? 'pass-old' : how === 'new' ? 'pass-new' : how}`);
    }
  }
  violation(host: string, key: string, test: string, rank: number | null): void {
    const c = this.open.get(`${host}|${key}`);
    if (c) {
      c.outcome ??= test;
      if (rank !== null) c.rank = rank;
    }
  }
  disconnect(host: string, key: string): void {
    const c = this.open.get(`${host}|${key}`);
    if (c) {
      this.open.delete(`${host}|${key}`);
      this.add(c.at, host, `outcome:${c.outcome ?? 'disconnect'}`);
    }
  }
  sweep(now: number): void {
    for (const [k, c] of this.open) {
      if (now - c.at > 600) {
        this.add(c.at, k.slice(0, k.indexOf('|')), `outcome:${c.outcome ?? 'timeout'}`);
        this.open.delete(k);
      }
    }
  }
}

function flat(t: Tallies, into: Map<string, number>): void {
  for (const [minute, hosts] of t) for (const [host, metrics] of hosts) for (const [m, n] of metrics) into.set(`${minute}|${host}|${m}`, (into.get(`${minute}|${host}|${m}`) ?? 0) + n);
}

function openOf(s: PostscreenState): Array<[string, Open]> {
  return s.connections.map(([k, c]): [string, Open] => [k, { at: c.at, outcome: c.outcome, rank: c.rank }]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('postscreen tracker', () => {
  it('gives the tallies and open connections of the plain rules over 60,000 random dialogue lines', () => {
    const rng = new Rng(11);
    const pick = (n: number) => Math.floor(rng.next() * n);
    let tracker = new PostscreenTracker([]);
    const model = new Model();
    const got = new Map<string, number>();
    const hosts = ['mx1', 'mx2'];
    const tests = ['dnsbl', 'pregreet', 'hangup', 'bare-newline'] as const;
    let at = 1_700_000_000;
    // a burst of 3,000 connections still open: the table must grow (it starts at 1,024 slots)
    for (let i = 0; i < 3000; i++) {
      const ip = `10.1.${i >> 8}.${i & 255}`;
      tracker.connect(at, 'mx3', ((((10 * 256 + 1) * 256 + (i >> 8)) * 256 + (i & 255)) * 65536) + 25);
      model.connect(at, 'mx3', `${ip}]:25`);
    }
    expect(tracker.size).toBe(3000);
    for (let i = 0; i < 60_000; i++) {
      at += pick(3) === 0 ? 1 : 0;
      if (i % 5000 === 4999) at += 700; // a gap: open connections time out
      const host = hosts[pick(2)]!;
      // a small address space: collisions, reused keys, deleted slots; some IPv6
      const v6 = pick(50) === 0;
      const ip = v6 ? `2001:db8::${pick(20)}` : `192.0.${pick(4)}.${pick(256)}`;
      const port = 40000 + pick(8);
      const key = `${ip}]:${port}`;
      const ck = v6 ? key : (((192 * 256 + 0) * 256 + Number(ip.split('.')[2])) * 256 + Number(ip.split('.')[3])) * 65536 + port;
      switch (pick(6)) {
        case 0:
        case 1:
          tracker.connect(at, host, ck);
          model.connect(at, host, key);
          break;
        case 2: {
          const how = (['old', 'new', 'whitelisted'] as const)[pick(3)]!;
          tracker.pass(at, host, ck, how);
          model.pass(at, host, key, how);
          break;
        }
        case 3: {
          const test = tests[pick(4)]!;
          const rank = test === 'dnsbl' ? 1 + pick(5) : null;
          tracker.violation(host, ck, test, rank);
          model.violation(host, key, test, rank);
          break;
        }
        default:
          tracker.disconnect(host, ck);
          model.disconnect(host, key);
      }
      if (i % 997 === 0) {
        tracker.sweep(at);
        model.sweep(at);
      }
      if (i % 7919 === 0) {
        // what a checkpoint does: the open state saved, and read back by the next run
        flat(tracker.drainTallies(), got);
        tracker = new PostscreenTracker([], JSON.parse(JSON.stringify(tracker.snapshot())) as PostscreenState);
      }
    }
    flat(tracker.drainTallies(), got);
    expect([...got].sort()).toEqual([...model.tally].sort());
    expect(openOf(tracker.snapshot())).toEqual(
      [...model.open].map(([k, c]): [string, Open] => [k, c]).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    expect(tracker.size).toBe(model.open.size);
    expect(model.open.size).toBeGreaterThan(100);
  });
});
