// A configuration that cannot be used: the message names the key at fault. Apart from load.ts so
// that code checking one setting (the GeoIP database, in the ingest thread too) does not bring
// the parser and the schema with it.
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
