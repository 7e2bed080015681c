// Inserts rows into one table several to a statement: `INSERT ... VALUES (...), (...), ...`.
// Why: better-sqlite3 binds each value anyway, but a call, a statement step and a result
// object per row were a good part of an insert's cost (docs/benchmark.md). Rows go in their
// order, so their
// rowids are those of one insert each.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../core/db/open';

/** Rows per multi-row statement (SQLite allows 32,766 bound values; 16 × 17 is far below). */
export const ROWS_PER_STATEMENT = 16;

export class RowInserter {
  private one: Statement<unknown[]> | null = null;
  private many: Statement<unknown[]> | null = null;
  private readonly args: unknown[];
  private readonly rowArgs: unknown[];

  /**
   * `head`: `INSERT INTO t (a, b, ...) VALUES`; `row`: one row's values, `(?, ?, ...)`, where
   * literals may stand for values all rows share; `width`: the `?` in `row`.
   */
  constructor(
    private readonly db: Db,
    private readonly head: string,
    private readonly row: string,
    private readonly width: number,
  ) {
    this.args = new Array<unknown>(width * ROWS_PER_STATEMENT);
    this.rowArgs = new Array<unknown>(width);
  }

  /** Inserts the rows of `flat`, `width` values each, in order. */
  insert(flat: readonly unknown[]): void {
    const w = this.width;
    const rows = Math.floor(flat.length / w);
    let r = 0;
    if (rows >= ROWS_PER_STATEMENT) {
      const many = (this.many ??= this.db.prepare(`${this.head} ${new Array<string>(ROWS_PER_STATEMENT).fill(this.row).join(', ')}`));
      const args = this.args;
      const n = args.length;
      for (; r + ROWS_PER_STATEMENT <= rows; r += ROWS_PER_STATEMENT) {
        const base = r * w;
        for (let k = 0; k < n; k++) args[k] = flat[base + k];
        many.run(args);
      }
    }
    if (r < rows) {
      const one = (this.one ??= this.db.prepare(`${this.head} ${this.row}`));
      const args = this.rowArgs;
      for (; r < rows; r++) {
        const base = r * w;
        for (let k = 0; k < w; k++) args[k] = flat[base + k];
        one.run(args);
      }
    }
  }
}
