// `postino status`: the sources with their checkpoints and lag, unparsed lines by program (mail
// daemons' lines no parser read), other programs' lines by program, open correlation records.
import type { Command } from 'commander';
import { resolveConfig, type CommonOptions } from './context';
import { openDb, type Db } from '../../core/db/open';
import { existsSync } from 'node:fs';
import { UsageError } from './context';
import type { SourceRow } from '../../collectors/store/sqlite-store';
import { formatLocal } from '../../core/time/local-time';

interface StatusOptions extends CommonOptions {
  json?: boolean;
}

/** A source row as status shows it: without identity internals, with its lag. */
export type SourceStatus = Omit<SourceRow, 'dev' | 'ino' | 'fingerprint' | 'fp_bytes' | 'compressed'> & {
  compressed: boolean;
  /** seconds between now and the log time of the last line read */
  lag_seconds: number | null;
};

export interface Status {
  now: number;
  sources: SourceStatus[];
  unparsed: Array<{ program: string; n: number; sample: string; last_at: number | null }>;
  /** lines of programs postino does not read (cron, sshd ...): counted, never shown */
  other: Array<{ program: string; n: number; last_at: number | null }>;
  open_records: { connections: number; sessions: number; messages: number; roots: number } | null;
}

export function collectStatus(db: Db, nowSeconds: number): Status {
  const sources = (db.prepare(`SELECT * FROM sources ORDER BY id`).all() as SourceRow[]).map(
    ({ dev: _dev, ino: _ino, fingerprint: _fp, fp_bytes: _fpb, compressed, ...s }): SourceStatus => ({
      ...s,
      compressed: compressed === 1,
      lag_seconds: s.last_line_at == null ? null : Math.max(0, Math.round(nowSeconds - s.last_line_at)),
    }),
  );
  const unparsed = db.prepare(`SELECT program, n, sample, last_at FROM unparsed_counts ORDER BY n DESC`).all() as Status['unparsed'];
  const other = db.prepare(`SELECT program, n, last_at FROM other_counts ORDER BY n DESC, program`).all() as Status['other'];
  const row = db.prepare(`SELECT state FROM correlator_state WHERE id = 1`).get() as { state: string } | undefined;
  let open: Status['open_records'] = null;
  if (row) {
    const st = JSON.parse(row.state) as { connections?: unknown[]; sessions?: unknown[]; messages?: unknown[]; roots?: unknown[] };
    open = { connections: st.connections?.length ?? 0, sessions: st.sessions?.length ?? 0, messages: st.messages?.length ?? 0, roots: st.roots?.length ?? 0 };
  }
  return { now: nowSeconds, sources, unparsed, other, open_records: open };
}

function fmtLag(s: number | null): string {
  if (s === null) return '-';
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('sources and their checkpoints, lag, unparsed and other programs\' lines by program, open correlation records')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone for the times shown')
    .option('--json', 'print the status as JSON')
    .action((opts: StatusOptions) => {
      const config = resolveConfig(opts);
      if (config.database !== ':memory:' && !existsSync(config.database)) throw new UsageError(`${config.database}: no such database`);
      const db = openDb(config.database, { readonly: true });
      try {
        const st = collectStatus(db, Date.now() / 1000);
        if (opts.json) {
          process.stdout.write(JSON.stringify(st) + '\n');
          return;
        }
        const out: string[] = ['sources:'];
        if (st.sources.length === 0) out.push('  (none)');
        for (const s of st.sources) {
          const pos = s.kind === 'journal' ? `cursor ${s.cursor ?? '-'}` : `${s.offset_bytes.toLocaleString('en-US')}/${s.size_bytes.toLocaleString('en-US')} bytes${s.compressed ? ' (gz)' : ''}`;
          const last = s.last_line_at === null ? 'never' : `${formatLocal(config.timezone, s.last_line_at)} ${config.timezone}`;
          out.push(`  [${s.id}] ${s.kind} ${s.path}: ${pos}, ${s.lines.toLocaleString('en-US')} lines (${s.unparsed.toLocaleString('en-US')} unparsed, ${s.other.toLocaleString('en-US')} other), last line ${last}, lag ${fmtLag(s.lag_seconds)}`);
        }
        out.push('unparsed by program:');
        if (st.unparsed.length === 0) out.push('  (none)');
        for (const u of st.unparsed) out.push(`  ${u.program}: ${u.n.toLocaleString('en-US')}  e.g. ${u.sample.slice(0, 120)}`);
        out.push('other programs (not read by postino):');
        if (st.other.length === 0) out.push('  (none)');
        for (const o of st.other) out.push(`  ${o.program}: ${o.n.toLocaleString('en-US')}`);
        const o = st.open_records;
        out.push(o ? `open records: ${o.messages} queue ids, ${o.connections} connections, ${o.sessions} sessions, ${o.roots} message roots` : 'open records: none');
        process.stdout.write(out.join('\n') + '\n');
      } finally {
        db.close();
      }
    });
}
