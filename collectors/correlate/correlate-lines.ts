// The batch loop of every ingest: each line to the postscreen lane first when the caller runs
// the lane (it takes the common postscreen lines), else parsed and pushed into the correlator,
// counted as recognised, unparsed or other (by program). The single-thread pipeline and the ingest
// thread of a bulk ingest both run it.
import type { ParseContext } from '../parse/index';
import { parseLine } from '../parse/parse-line';
import type { Correlator } from './correlator';

export interface LineCounts {
  recognised: number;
  unparsed: number;
  unparsedByProgram: Map<string, number>;
  /** lines of programs postino does not read (cron, sshd ...), apart from unparsed */
  other: number;
  otherByProgram: Map<string, number>;
  /** the instant of the last recognised line, null when none */
  lastAt: number | null;
}

export function emptyLineCounts(): LineCounts {
  return { recognised: 0, unparsed: 0, unparsedByProgram: new Map(), other: 0, otherByProgram: new Map(), lastAt: null };
}

/**
 * Feeds `lines` to the correlator, adding to `counts`. `lane`: try the postscreen lane first
 * (false where another thread ran it over these lines already).
 */
export function correlateLines(correlator: Correlator, lines: Iterable<string>, ctx: ParseContext, lane: boolean, counts: LineCounts): void {
  for (const line of lines) {
    if (lane) {
      const at = correlator.pushLine(line, ctx);
      if (at === at) {
        counts.recognised++;
        counts.lastAt = at;
        continue;
      }
    }
    const ev = parseLine(line, ctx);
    if (ev.kind === 'unparsed') {
      counts.unparsed++;
      const p = ev.program || '(none)';
      counts.unparsedByProgram.set(p, (counts.unparsedByProgram.get(p) ?? 0) + 1);
    } else if (ev.kind === 'other') {
      counts.other++;
      const p = ev.program || '(none)';
      counts.otherByProgram.set(p, (counts.otherByProgram.get(p) ?? 0) + 1);
    } else {
      counts.recognised++;
      counts.lastAt = ev.at;
    }
    correlator.push(ev, line);
  }
}
