// Worker entry: lets the TypeScript store run in its own thread (see store-writer.ts).
import { register } from 'tsx/esm/api';
register();
await import('./writer-thread-main.ts');
