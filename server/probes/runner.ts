// Runs every configured probe at its interval, each on its own timer chain: the next run of a
// probe is scheduled only when its current run has ended, so a probe never overlaps itself
// (a slow one simply runs less often). Each run inserts one probe_results row; a run cut
// short by stop() is dropped, since a shutdown is not an outage of the probed service.
import type { Db } from '../../core/db/open';
import type { ProbeConfig } from '../../core/config/probes-schema';
import { runProbe, type ProbeResult } from './run-probe';
import { insertProbeResult } from './store';

export interface RunnerDeps {
  db: Db | null;
  probes: readonly ProbeConfig[];
  onResult?: (r: ProbeResult) => void;
  log?: (m: string) => void;
  env?: NodeJS.ProcessEnv;
}

export class ProbeRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: RunnerDeps) {}

  start(): void {
    for (const p of this.deps.probes) this.schedule(p, 0);
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('postino is stopping'));
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  private schedule(p: ProbeConfig, delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timers.set(
      p.name,
      setTimeout(() => {
        this.timers.delete(p.name);
        const run = this.tick(p);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }, delayMs),
    );
  }

  private async tick(p: ProbeConfig): Promise<void> {
    const started = Date.now();
    try {
      const r = await runProbe(p, { signal: this.stopping.signal, ...(this.deps.env ? { env: this.deps.env } : {}) });
      if (this.stopping.signal.aborted) return;
      if (this.deps.db) insertProbeResult(this.deps.db, r);
      this.deps.onResult?.(r);
    } catch (e) {
      (this.deps.log ?? ((m: string) => process.stderr.write(m + '\n')))(`postino: probe ${p.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.schedule(p, Math.max(0, started + p.interval_s * 1000 - Date.now()));
  }
}
