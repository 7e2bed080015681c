// The generator's truth about mailboxes in use (METRICS.md, Cost): every address that got a
// final LMTP delivery or logged in successfully, per local day, counted when the line that
// proves it is emitted. Per-domain counts let a test check the departments' chargeback.
export interface MailboxTruth {
  /** distinct mailboxes in use over the whole run */
  total: number;
  /** the same, by domain (departments map domains) */
  by_domain: Record<string, number>;
  days: Array<{ date: string; mailboxes: number }>;
}

export class MailboxTruthCounter {
  private readonly byDate = new Map<string, Set<string>>();
  private cur: Set<string> | null = null;
  private curDate = '';

  see(date: string, address: string): void {
    if (date !== this.curDate) {
      this.curDate = date;
      this.cur = this.byDate.get(date) ?? new Set();
      this.byDate.set(date, this.cur);
    }
    this.cur!.add(address.toLowerCase());
  }

  result(): MailboxTruth {
    const all = new Set<string>();
    for (const s of this.byDate.values()) for (const a of s) all.add(a);
    const byDomain: Record<string, number> = {};
    for (const a of all) {
      const d = a.slice(a.lastIndexOf('@') + 1);
      byDomain[d] = (byDomain[d] ?? 0) + 1;
    }
    const days = [...this.byDate.keys()].sort().map((date) => ({ date, mailboxes: this.byDate.get(date)!.size }));
    return { total: all.size, by_domain: byDomain, days };
  }
}
