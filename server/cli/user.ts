// `postino user add NAME --role ROLE`: writes a user with a scrypt password hash into
// postino.yml (created when missing; comments kept). `user list`, `user wall-token`.
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync, renameSync, rmSync, statSync, chmodSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseDocument, YAMLSeq, type Document } from 'yaml';
import { parseConfig } from '../../core/config/load';
import { userRoles, type UserRole } from '../../core/config/schema';
import { hashPassword, randomPassword, randomToken } from '../http/passwords';
import { UsageError } from './context';

function configPath(opt: string | undefined): string {
  return opt ?? 'postino.yml';
}

function loadDoc(path: string): Document {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length) throw new UsageError(`${path}: not valid YAML: ${doc.errors[0]!.message}`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  return doc;
}

/**
 * Writes postino.yml (password hashes, wall tokens) atomically: a temporary file beside it,
 * then a rename, so a crash never leaves half a file. A new file is 0600; an existing one keeps
 * its mode (an administrator may have opened it to a group).
 */
function save(path: string, doc: Document): void {
  parseConfig(doc.toJS(), path); // never write an invalid file
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o600;
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, doc.toString(), { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const pw = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
    if (!pw) throw new UsageError('no password on standard input');
    return pw;
  }
  const ask = (q: string): Promise<string> =>
    new Promise((ok) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      let prompted = false;
      out._writeToOutput = (s: string) => {
        if (!prompted) {
          process.stderr.write(s);
          prompted = true;
        }
      };
      rl.question(q, (a) => {
        rl.close();
        process.stderr.write('\n');
        ok(a);
      });
    });
  const a = await ask('password: ');
  const b = await ask('again: ');
  if (a !== b) throw new UsageError('the passwords differ');
  return a;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage dashboard users and wall tokens in postino.yml');
  user
    .command('add')
    .description('add a user (or replace its password and role) with a scrypt password hash')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', `one of ${userRoles.join(', ')}`)
    .option('--config <file>', 'configuration file', 'postino.yml')
    .option('--password-stdin', 'read the password from standard input (first line)')
    .option('--generate', 'generate a random password and print it')
    .action(async (name: string, opts: { role: string; config?: string; passwordStdin?: boolean; generate?: boolean }) => {
      if (!(userRoles as readonly string[]).includes(opts.role)) throw new UsageError(`--role: expected one of ${userRoles.join(', ')}, got "${opts.role}"`);
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) throw new UsageError(`user name: letters, digits and . _ @ - only, got "${name}"`);
      const password = opts.generate ? randomPassword() : await readPassword(opts.passwordStdin ?? false);
      if (password.length < 8) throw new UsageError('password: at least 8 characters');
      const path = configPath(opts.config);
      const doc = loadDoc(path);
      let seq = doc.get('users') as YAMLSeq | undefined;
      if (!(seq instanceof YAMLSeq)) {
        seq = new YAMLSeq();
        doc.set('users', seq);
      }
      const entry = doc.createNode({ name, role: opts.role as UserRole, password: hashPassword(password) });
      const idx = seq.items.findIndex((it) => (it as { get?: (k: string) => unknown }).get?.('name') === name);
      if (idx >= 0) seq.items[idx] = entry;
      else seq.items.push(entry);
      save(path, doc);
      process.stdout.write(`${idx >= 0 ? 'updated' : 'added'} user ${name} (${opts.role}) in ${path}\n`);
      if (opts.generate) process.stdout.write(`password: ${password}\n`);
    });
  user
    .command('list')
    .description('list users and roles')
    .option('--config <file>', 'configuration file', 'postino.yml')
    .action((opts: { config?: string }) => {
      const c = parseConfig(loadDoc(configPath(opts.config)).toJS(), configPath(opts.config));
      for (const u of c.users) process.stdout.write(`${u.name}\t${u.role}\n`);
      process.stdout.write(`${c.server.wall_tokens.length} wall token(s)\n`);
    });
  user
    .command('wall-token')
    .description('add a long-lived wall display token and print the kiosk URL path')
    .option('--config <file>', 'configuration file', 'postino.yml')
    .action((opts: { config?: string }) => {
      const path = configPath(opts.config);
      const doc = loadDoc(path);
      const token = randomToken();
      const tokens = doc.getIn(['server', 'wall_tokens']);
      if (tokens instanceof YAMLSeq) tokens.items.push(doc.createNode(token));
      else if (doc.get('server')) doc.setIn(['server', 'wall_tokens'], [token]);
      else doc.set('server', { wall_tokens: [token] });
      save(path, doc);
      process.stdout.write(`/wall?token=${token}\n`);
    });
}
