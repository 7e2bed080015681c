// Runs bench/ingest-child.ts from its bundle, as bin/postino.mjs runs the command line: the
// bench measures the process users run, start-up included.
import { importTypeScript } from '../bin/bundle-cache.mjs';

await importTypeScript('bench/ingest-child.ts', 'bench-ingest-child');
