// IPv6 text to groups, checked against node's own parser (a BlockList holding the address our
// groups spell must hold the original text), and prefixes matched to the bit.
import { describe, it, expect } from 'vitest';
import { BlockList, isIP } from 'node:net';
import { hexTail, inIpv6Prefix, ipv6Groups, ipv6Prefix, readIpv6 } from '../../collectors/enrich/ipv6-groups';

const spelled = (ip: string): string => ipv6Groups(ip).map((g) => g.toString(16)).join(':');

describe('ipv6Groups', () => {
  it('reads every way an address can be written', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1::2:3')).toEqual([1, 0, 0, 0, 0, 0, 2, 3]);
    expect(ipv6Groups('1:2:3:4:5:6::8')).toEqual([1, 2, 3, 4, 5, 6, 0, 8]);
    expect(ipv6Groups('::2:3:4:5:6:7:8')).toEqual([0, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('ABCD:EF01:0:0:0:0:0:FFFF')).toEqual([0xabcd, 0xef01, 0, 0, 0, 0, 0, 0xffff]);
    expect(ipv6Groups('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("agrees with node's parser on random addresses, zero runs compressed anywhere", () => {
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let i = 0; i < 2000; i++) {
      const g = Array.from({ length: 8 }, () => (rnd() % 3 === 0 ? 0 : rnd()));
      // compress one run of zero groups, as inet_ntop would, or a random run
      const from = rnd() % 8;
      const to = from + 1 + (rnd() % (8 - from));
      for (let k = from; k < to; k++) g[k] = 0;
      const hex = g.map((x) => x.toString(16));
      const text = `${hex.slice(0, from).join(':')}::${hex.slice(to).join(':')}`;
      const list = new BlockList();
      list.addAddress(spelled(text), 'ipv6');
      expect(list.check(text, 'ipv6'), text).toBe(true);
      expect(ipv6Groups(text), text).toEqual(g);
    }
  });
});

describe('hexTail', () => {
  it("writes an IPv4 tail as two groups that node's parser reads as the same address", () => {
    expect(hexTail('::ffff:1.2.3.4')).toBe('::ffff:102:304');
    expect(hexTail('64:ff9b::193.205.255.0%eth0')).toBe('64:ff9b::c1cd:ff00');
    expect(hexTail('2001:db8::1')).toBe('2001:db8::1');
    for (const ip of ['::ffff:0.0.0.0', '::ffff:255.255.255.255', '0:0:0:0:0:ffff:131.114.21.11', '1:2:3:4:5:6:7.8.9.10', '::10.0.0.1']) {
      const list = new BlockList();
      list.addAddress(hexTail(ip), 'ipv6');
      expect(list.check(ip, 'ipv6'), ip).toBe(true);
      expect(readIpv6(hexTail(ip), new Uint16Array(8)), ip).toBe(true);
    }
  });
});

describe('readIpv6', () => {
  it('accepts exactly the text node calls IPv6 (without an IPv4 tail): log content decides nothing', () => {
    const groups = new Uint16Array(8);
    const fixed = ['', ':', '::', ':::', '1:', ':1', '1::', '::1', '1::2::3', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
      '12345::', 'g::1', '1:::2', 'fe80::1%eth0', 'fe80::1%', 'fe80::1%a b', 'fe80::1%eth-0', '::ffff', '<script>', '2001:db8::1]:25', ' 2001:db8::1', 'FFFF::'];
    for (const ip of fixed) expect(readIpv6(ip, groups), ip).toBe(isIP(ip) === 6);
    // random text over the characters an address is made of
    const chars = '0123456789abcdefABCDEFg:%z';
    let seed = 3;
    const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    let accepted = 0;
    for (let i = 0; i < 200_000; i++) {
      const len = 1 + rnd(18);
      let ip = '';
      for (let k = 0; k < len; k++) ip += rnd(3) === 0 ? ':' : chars[rnd(chars.length)];
      const ok = readIpv6(ip, groups);
      if (ok !== (isIP(ip) === 6)) expect(ok, JSON.stringify(ip)).toBe(isIP(ip) === 6);
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('inIpv6Prefix', () => {
  it('matches to the bit of the prefix', () => {
    const p = ipv6Prefix('2001:760:2c00::/40')!;
    expect(inIpv6Prefix(ipv6Groups('2001:760:2c00::'), p)).toBe(true);
    expect(inIpv6Prefix(ipv6Groups('2001:760:2cff:ffff::1'), p)).toBe(true);
    expect(inIpv6Prefix(ipv6Groups('2001:760:2d00::'), p)).toBe(false);
    expect(inIpv6Prefix(ipv6Groups('2001:760:2bff:ffff::'), p)).toBe(false);
    const seven = ipv6Prefix('fc00::/7')!;
    expect(inIpv6Prefix(ipv6Groups('fdff::1'), seven)).toBe(true);
    expect(inIpv6Prefix(ipv6Groups('fe00::1'), seven)).toBe(false);
    const whole = ipv6Prefix('::1/128')!;
    expect(inIpv6Prefix(ipv6Groups('::1'), whole)).toBe(true);
    expect(inIpv6Prefix(ipv6Groups('::2'), whole)).toBe(false);
    expect(inIpv6Prefix(ipv6Groups('1::1'), whole)).toBe(false);
    expect(inIpv6Prefix(ipv6Groups('1::1'), ipv6Prefix('::/0')!)).toBe(true);
    expect(ipv6Prefix('131.114.0.0/16')).toBeNull();
    // an IPv4 tail is two groups
    expect(ipv6Prefix('::ffff:131.114.0.0/112')).toEqual({ groups: [0, 0, 0, 0, 0, 0xffff, 0x8372, 0], bits: 112 });
    expect(inIpv6Prefix(ipv6Groups('::ffff:8372:ff01'), ipv6Prefix('::ffff:131.114.0.0/112')!)).toBe(true);
  });
});
