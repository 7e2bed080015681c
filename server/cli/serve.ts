// `postino serve`: the dashboard. Builds the browser bundles when stale, opens the database,
// bootstraps the demo on a fresh machine, ingests the configured sources, runs the jobs and
// listens. `postino build-web` builds the bundles alone.
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import type { Server } from 'node:http';
import { resolveConfig, openConfiguredDb, UsageError, type CommonOptions } from './context';
import { Pipeline } from '../../collectors/pipeline';
import { createApp } from '../http/app';
import { LiveFeed } from '../http/live';
import { startScheduler } from '../scheduler/scheduler';
import { ProbeRunner } from '../probes/runner';
import { createCollector } from './follow';
import { DemoFeed, needsDemo, isDemoDb, demoCredentials, demoDepartments, DEMO_SCALE } from '../demo';
import { buildWeb } from '../../web/build';
import type { Config } from '../../core/config/schema';

interface ServeOptions extends CommonOptions {
  port?: string;
  host?: string;
}

function say(m: string): void {
  process.stdout.write(m + '\n');
}

export async function serve(opts: ServeOptions, signal?: AbortSignal): Promise<void> {
  let config: Config = resolveConfig(opts);
  if (opts.port !== undefined) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number, got "${opts.port}"`);
    config = { ...config, server: { ...config.server, port } };
  }
  if (opts.host !== undefined) config = { ...config, server: { ...config.server, host: opts.host } };

  const web = await buildWeb();
  if (web.built) say(`built the browser bundles (${web.files.filter((f) => f.endsWith('.js')).length} files)`);

  const db = openConfiguredDb(config);
  const pipeline = new Pipeline(db, config);
  let demo: DemoFeed | null = null;
  const demoDir = dirname(resolve(config.database));
  // a demo's own departments, for its cost page and its reports
  if (needsDemo(db, config) || isDemoDb(db, config)) config = demoDepartments(config);
  if (needsDemo(db, config)) {
    say('fresh database and no log sources configured: generating demo data (set demo: false in postino.yml to skip)');
    demo = new DemoFeed(pipeline, config, demoDir, Date.now, DEMO_SCALE);
    const r = await demo.bootstrap((m) => say(`  ${m}`));
    say(`  demo ready: ${r.lines.toLocaleString('en-US')} lines in ${r.seconds.toFixed(1)} s`);
  } else if (isDemoDb(db, config)) {
    demo = new DemoFeed(pipeline, config, demoDir, Date.now, DEMO_SCALE);
    await demo.resume();
  }
  let logins: ReturnType<typeof demoCredentials>['logins'] = [];
  let wallToken: string | null = null;
  if (config.users.length === 0 && demo) {
    const c = demoCredentials(config);
    config = c.config;
    logins = c.logins;
    wallToken = c.wallToken;
  }

  const live = new LiveFeed(db, config);
  pipeline.onCommit = () => live.notify();
  const app = createApp({ db, config, live });
  const server: Server = await new Promise((ok, fail) => {
    const s = app.listen(config.server.port, config.server.host, () => ok(s));
    s.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE' ? new UsageError(`port ${config.server.port} is in use (try --port)`) : e));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const base = `http://${host}:${port}`;

  const scheduler = startScheduler({ db, config, live });
  const probes = config.probes.length > 0 ? new ProbeRunner({ db, probes: config.probes }) : null;
  probes?.start();
  // The same collector as `postino follow` (rotation-safe, checkpointed), fed into this
  // process's pipeline so that every commit reaches the live feed.
  const collector =
    config.sources.length > 0 || config.journal ? createCollector(db, config, { pipeline, journal: config.journal, onBatch: () => live.notify() }) : null;
  const collecting = collector?.start().catch((e: unknown) => process.stderr.write(`postino: collector stopped: ${e instanceof Error ? e.message : String(e)}\n`));
  demo?.start();

  say(`postino is running at ${base}/`);
  if (logins.length) {
    say('demo logins (printed once; add real users with `postino user add`):');
    for (const l of logins) say(`  ${l.name.padEnd(9)} password ${l.password}   (${l.role})`);
  }
  if (wallToken) say(`wall display: ${base}/wall?token=${wallToken}`);
  if (probes) say(`active probes: ${config.probes.map((p) => p.name).join(', ')}`);
  if (config.users.length === 0) say('no users configured: create one with `postino user add NAME --role admin`');

  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  say('postino: stopping');
  demo?.stop();
  await collector?.stop();
  await collecting;
  await scheduler.stop();
  await probes?.stop();
  live.close();
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
  db.close();
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard, API and wall; ingest the configured sources; run the scheduled jobs')
    .option('--port <port>', 'port to listen on (default: server.port, 8080)')
    .option('--host <addr>', 'address to listen on (default: server.host, 0.0.0.0)')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone of the log stamps and of days')
    .action(async (opts: ServeOptions) => serve(opts));
  program
    .command('build-web')
    .description('bundle the browser modules (web/src/*.ts) into web/dist')
    .action(async () => {
      const r = await buildWeb({ force: true });
      say(`${r.files.length} files written to web/dist`);
    });
}
