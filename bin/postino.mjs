#!/usr/bin/env node
// Entry point: runs the TypeScript sources from a cached bundle (bundle-cache.mjs: built again
// whenever a source changed), or through tsx when no bundle can be built.
import { setFlagsFromString } from 'node:v8';
import { importTypeScript } from './bundle-cache.mjs';

// V8 grows the heap by up to 4x its live size before a full GC; ingest makes garbage fast,
// so the heap sat near that bound. 1.5x keeps a day's ingest within the 250 MB memory limit
// (docs/benchmark.md has the figures). bench/ingest-child.ts sets the same.
setFlagsFromString('--heap-growing-percent=50');
const { main } = await importTypeScript('server/cli/main.ts', 'cli');
process.exitCode = await main(process.argv.slice(2));
