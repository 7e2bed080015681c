#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';
import { setFlagsFromString } from 'node:v8';

// V8 grows the heap by up to 4x its live size before a full GC; ingest makes garbage fast,
// so the heap sat near that bound. 1.5x keeps peak RSS of a day's ingest ~50 MB lower for a
// few percent more GC time. (bench/ingest-child.ts sets the same.)
setFlagsFromString('--heap-growing-percent=50');
register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
