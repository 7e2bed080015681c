// Types of bundle-cache.mjs, for the TypeScript that calls it (collectors/ingest-thread/bundle.ts).
export declare const PACKAGE_ROOT_SOURCE: string;
export declare const DEFAULT_CACHE_DIR: string;
export interface BundleSpec {
  /** relative to the package root */
  entry: string;
  /** names the bundle's files in the cache */
  name: string;
  format: 'esm' | 'cjs';
  /** every package, or the ones named */
  external: 'packages' | string[];
  cacheDir?: string;
}
export declare function bundleFile(spec: BundleSpec): string | null;
export declare function importTypeScript(entry: string, name: string): Promise<Record<string, unknown>>;
