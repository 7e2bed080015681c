// The package's root directory, for the files it ships beside the code (migrations, web pages).
// The one source that reads import.meta.url: bin/bundle-cache.mjs defines it as this file's own
// URL in a bundle, where every other module's import.meta.url would name the bundle instead.
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('../', import.meta.url));
