// Chargeback: which department an address belongs to, how shared cost is split among them,
// and rounding that makes the parts add up to the whole to the cent. Pure.
import type { AllocationMethod, DepartmentConfig } from '../core/config/budget-schema';

export const UNALLOCATED = 'unallocated';

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Maps an address to its department: an exact domain match first (`dm.unipi.it`), then the
 * patterns in config order; anything else is "unallocated", never spread silently.
 */
export class DepartmentMap {
  private readonly byDomain = new Map<string, string>();
  private readonly patterns: Array<[RegExp, string]> = [];
  readonly names: string[];

  constructor(departments: DepartmentConfig[]) {
    this.names = departments.map((d) => d.name);
    for (const d of departments) {
      for (const dom of d.domains) this.byDomain.set(dom.toLowerCase(), d.name);
      for (const p of d.patterns) this.patterns.push([globToRegExp(p), d.name]);
    }
  }

  departmentOf(address: string): string {
    const a = address.toLowerCase();
    const at = a.lastIndexOf('@');
    if (at >= 0) {
      const hit = this.byDomain.get(a.slice(at + 1));
      if (hit !== undefined) return hit;
    }
    for (const [re, dep] of this.patterns) if (re.test(a)) return dep;
    return UNALLOCATED;
  }
}

export interface DepartmentUsage {
  department: string;
  mailboxes: number;
  /** messages delivered to its mailboxes (LMTP recipients) */
  messages: number;
  /** bytes used (latest snapshot); null without snapshots */
  used_bytes: number | null;
}

/**
 * Each department's share of the cost by the configured method. Storage without snapshots
 * cannot be used: the method falls back to evenly per mailbox, and says so.
 */
export function allocationRatios(rows: DepartmentUsage[], method: AllocationMethod): { ratios: number[]; method: AllocationMethod; note: string | null } {
  const weigh = (f: (r: DepartmentUsage) => number): number[] | null => {
    const w = rows.map(f);
    const total = w.reduce((s, x) => s + x, 0);
    return total > 0 ? w.map((x) => x / total) : null;
  };
  if (method === 'storage') {
    const r = rows.every((x) => x.used_bytes !== null) ? weigh((x) => x.used_bytes ?? 0) : null;
    if (r) return { ratios: r, method, note: null };
    const even = weigh((x) => x.mailboxes);
    return { ratios: even ?? rows.map(() => 0), method: 'evenly', note: 'allocation by storage needs quota snapshots: split evenly per mailbox instead' };
  }
  if (method === 'messages') {
    const r = weigh((x) => x.messages);
    if (r) return { ratios: r, method, note: null };
    const even = weigh((x) => x.mailboxes);
    return { ratios: even ?? rows.map(() => 0), method: 'evenly', note: 'no delivered messages in the window: split evenly per mailbox instead' };
  }
  return { ratios: weigh((x) => x.mailboxes) ?? rows.map(() => 0), method, note: null };
}

/**
 * Splits `total` (euro) by `ratios` into cents that add up to round(total) exactly: each part
 * gets its floor, and the cents left go to the largest remainders (ties: earlier row).
 */
export function largestRemainder(total: number, ratios: number[]): number[] {
  const totalCents = Math.round(total * 100 * (1 + 2 * Number.EPSILON));
  const sum = ratios.reduce((s, x) => s + x, 0);
  if (sum <= 0 || ratios.length === 0) return ratios.map(() => 0);
  const exact = ratios.map((r) => (totalCents * r) / sum);
  const floors = exact.map((x) => Math.floor(x + 1e-9));
  let left = totalCents - floors.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => [x - floors[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]!++;
    left--;
  }
  return floors.map((c) => c / 100);
}
