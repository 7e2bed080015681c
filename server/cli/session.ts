// `postino session list|revoke`: the sign-in sessions kept in the database (admins can do the
// same over the API). Revoking takes a handle from the list, or --user NAME for all of a user's.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolveConfig, openConfiguredDb, UsageError, type CommonOptions } from './context';
import { Sessions, HANDLE_LENGTH } from '../http/sessions';

interface SessionOptions extends CommonOptions {
  json?: boolean;
  user?: string;
}

function open(opts: SessionOptions): { sessions: Sessions; close: () => void } {
  const config = resolveConfig(opts);
  if (!existsSync(config.database)) throw new UsageError(`${config.database}: no such database`);
  const db = openConfiguredDb(config);
  return { sessions: new Sessions(db, config.access), close: () => db.close() };
}

function iso(s: number): string {
  return new Date(s * 1000).toISOString().replace('.000Z', 'Z');
}

export function registerSession(program: Command): void {
  const cmd = program.command('session').description('list or revoke sign-in sessions');
  cmd
    .command('list')
    .description('sessions still valid, most recently used first')
    .option('--json', 'print JSON')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .action((opts: SessionOptions) => {
      const { sessions, close } = open(opts);
      try {
        const rows = sessions.list();
        if (opts.json) return void process.stdout.write(JSON.stringify({ sessions: rows }) + '\n');
        process.stdout.write(`${'handle'.padEnd(HANDLE_LENGTH)}  user        role      kind   last seen             expires\n`);
        for (const s of rows) {
          process.stdout.write(`${s.handle}  ${s.user.padEnd(10)}  ${s.role.padEnd(8)}  ${(s.kiosk ? 'kiosk' : 'user').padEnd(5)}  ${iso(s.last_seen_at)}  ${iso(s.expires_at)}\n`);
        }
        process.stdout.write(`${rows.length} session(s)\n`);
      } finally {
        close();
      }
    });
  cmd
    .command('revoke')
    .description('end a session (by its handle from `session list`) or all of a user\'s (--user)')
    .argument('[handle]', `session handle (${HANDLE_LENGTH} hex digits)`)
    .option('--user <name>', "end all of this user's sessions")
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .action((handle: string | undefined, opts: SessionOptions) => {
      if ((handle === undefined) === (opts.user === undefined)) throw new UsageError('give a session handle or --user NAME (one of them)');
      if (handle !== undefined && !new RegExp(`^[0-9a-fA-F]{${HANDLE_LENGTH}}$`).test(handle)) throw new UsageError(`handle: expected ${HANDLE_LENGTH} hex digits, got "${handle}"`);
      const { sessions, close } = open(opts);
      try {
        const n = handle !== undefined ? sessions.revoke(handle) : sessions.revokeUser(opts.user!);
        if (handle !== undefined && n === 0) throw new UsageError(`no session ${handle}`);
        process.stdout.write(`${n} session(s) revoked\n`);
      } finally {
        close();
      }
    });
}
