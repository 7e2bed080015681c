// Min-heap of pending log lines ordered by (time, sequence).

export interface PendingLine {
  /** unix seconds, fraction allowed */
  t: number;
  /** insertion sequence: ties keep generation order */
  s: number;
  /** `host prog[pid]:` */
  head: string;
  msg: string;
  /** bitmask of figure indexes this line proves (see generator) */
  f: number;
  /** message whose first final delivery this line may be (for `delivered`) */
  m: { delivered: boolean } | null;
  /** user with a successful login (for `unique_users`) */
  u: string | null;
  /** mailbox this line proves in use (a final LMTP delivery), for the cost truth */
  b?: string;
}

function less(a: PendingLine, b: PendingLine): boolean {
  return a.t < b.t || (a.t === b.t && a.s < b.s);
}

export class LineHeap {
  private a: PendingLine[] = [];

  get size(): number {
    return this.a.length;
  }

  peek(): PendingLine | undefined {
    return this.a[0];
  }

  push(x: PendingLine): void {
    const a = this.a;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pp = a[p]!;
      if (!less(x, pp)) break;
      a[i] = pp;
      i = p;
    }
    a[i] = x;
  }

  pop(): PendingLine | undefined {
    const a = this.a;
    const n = a.length;
    if (n === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (n === 1) return top;
    let i = 0;
    const m = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const c = r < m && less(a[r]!, a[l]!) ? r : l;
      if (!less(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
