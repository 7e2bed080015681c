// The `postino` command line. Each command lives in its own module and registers itself.
import { Command, CommanderError } from 'commander';
import { registerIngest } from './ingest';
import { registerSummary } from './summary';
import { registerGenerate } from './generate';
import { registerServe } from './serve';
import { registerUser } from './user';
import { registerFollow } from './follow';
import { registerStatus } from './status';
import { registerBackup } from './backup';
import { registerProbe } from './probe';
import { registerCost } from './cost';
import { registerQuota } from './quota';
import { registerReport } from './report';
import { registerSession } from './session';
import { registerSignals } from './signals';
import { registerSla } from './sla';
import { isUserError } from './context';

export function buildProgram(): Command {
  const program = new Command('postino')
    .description('monitoring, SLA and cost analytics for a Postfix/Amavis/Dovecot mail service')
    .exitOverride()
    .showHelpAfterError();
  registerIngest(program);
  registerSummary(program);
  registerGenerate(program);
  registerServe(program);
  registerUser(program);
  registerFollow(program);
  registerStatus(program);
  registerBackup(program);
  registerProbe(program);
  registerCost(program);
  registerQuota(program);
  registerReport(program);
  registerSession(program);
  registerSignals(program);
  registerSla(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isUserError(e)) {
      process.stderr.write(`postino: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`postino: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    // the code runs from a bundle (bin/bundle-cache.mjs): its lines are the bundle's
    if (!process.sourceMapsEnabled) process.stderr.write('(run node --enable-source-maps bin/postino.mjs ... for TypeScript lines)\n');
    return 70;
  }
}
