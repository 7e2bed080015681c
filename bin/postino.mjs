#!/usr/bin/env node
// Entry point: runs the TypeScript sources from a cached bundle (bundle-cache.mjs: built again
// whenever a source changed), or through tsx when no bundle can be built.
import { setFlagsFromString } from 'node:v8';
import { importTypeScript } from './bundle-cache.mjs';

// V8 grows the heap by up to 4x its live size before a full GC; ingest makes garbage fast,
// so the heap sat near that bound. 1.5x keeps peak RSS of a day's ingest ~50 MB lower for a
// few percent more GC time. (bench/ingest-child.ts sets the same.)
setFlagsFromString('--heap-growing-percent=50');
// Optimise hot functions after a quarter of V8's default interrupt budget (67,584 bytecode
// bytes): a day's ingest spends its first seconds in the interpreter while the lane and the
// parsers warm up. In paired runs of the seed day: about 5% less CPU and wall time (8,192 was
// no better). Both threads of the bulk ingest get it: the flag is process-wide.
setFlagsFromString('--interrupt-budget=16384');
// Inline half as much bytecode into an optimised function as V8 does by default (920 bytes):
// the optimising compiler then takes about a fifth less CPU on the helper threads, which share
// the two cores with the ingest's two threads. Paired runs of the seed day: 2-4% less wall time.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=460');
const { main } = await importTypeScript('server/cli/main.ts', 'cli');
process.exitCode = await main(process.argv.slice(2));
