// Worker entry: lets the TypeScript ingest thread run without a bundle (see ingest-thread.ts).
import { register } from 'tsx/esm/api';
register();
await import('./thread-main.ts');
