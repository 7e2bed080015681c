// Sets of time spans as sorted, disjoint [start, end) pairs of unix seconds. All the
// accounting is unions, intersections and differences of these.

export type Span = readonly [number, number];
export type Spans = Span[];

/** Sorted, merged (touching spans join), empty ones dropped. */
export function normalize(spans: readonly Span[]): Spans {
  const s = spans.filter((x) => x[1] > x[0]).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function union(...sets: ReadonlyArray<readonly Span[]>): Spans {
  return normalize(sets.flat());
}

/** Both normalized. */
export function intersect(a: readonly Span[], b: readonly Span[]): Spans {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (e > s) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** a minus b, both normalized. */
export function subtract(a: readonly Span[], b: readonly Span[]): Spans {
  const out: Span[] = [];
  let j = 0;
  for (const [s0, e] of a) {
    let s = s0;
    while (j < b.length && b[j]![1] <= s) j++;
    let k = j;
    while (k < b.length && b[k]![0] < e) {
      if (b[k]![0] > s) out.push([s, b[k]![0]]);
      s = Math.max(s, b[k]![1]);
      if (s >= e) break;
      k++;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

export function clip(a: readonly Span[], from: number, to: number): Spans {
  return intersect(a, [[from, to]]);
}

export function length(a: readonly Span[]): number {
  let n = 0;
  for (const [s, e] of a) n += e - s;
  return n;
}

/** Intersection of several normalized sets (none = nothing). */
export function intersectAll(sets: ReadonlyArray<readonly Span[]>): Spans {
  if (sets.length === 0) return [];
  let acc: Spans = [...sets[0]!];
  for (let i = 1; i < sets.length; i++) acc = intersect(acc, sets[i]!);
  return acc;
}
