// Probe configs for tests, through the real schema (defaults and checks included).
import { parseConfig } from '../../core/config/load';
import type { ProbeConfig } from '../../core/config/probes-schema';

export function probeConfig(p: Record<string, unknown>): ProbeConfig {
  return parseConfig({ probes: [{ name: 'p', host: 'mx1.unipi.it', ...p }] }).probes[0]!;
}
