// Formats unix seconds as the traditional syslog stamp (`Jan  5 10:00:00`) in a zone,
// and gives the local calendar date of the same second. Cached per second and per day.
import { zoneOffsetAt } from '../../core/time/local-time';

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class Clock {
  private bucket = NaN;
  private offset = 0;
  private lastSec = NaN;
  private lastDay = NaN;
  private dayPrefix = '';
  /** local date (YYYY-MM-DD) of the last second formatted */
  date = '';
  /** stamp of the last second formatted */
  stamp = '';

  constructor(private readonly tz: string) {}

  /** Sets `stamp` and `date` for the integer second `sec`. */
  set(sec: number): void {
    if (sec === this.lastSec) return;
    this.lastSec = sec;
    const b = Math.floor(sec / 900);
    if (b !== this.bucket) {
      this.bucket = b;
      this.offset = zoneOffsetAt(this.tz, b * 900);
    }
    const local = sec + this.offset;
    const day = Math.floor(local / 86400);
    if (day !== this.lastDay) {
      this.lastDay = day;
      const d = new Date(day * 86_400_000);
      const dd = d.getUTCDate();
      this.dayPrefix = `${MON[d.getUTCMonth()]} ${dd < 10 ? ` ${dd}` : dd}`;
      this.date = d.toISOString().slice(0, 10);
    }
    const sod = local - day * 86400;
    const h = Math.floor(sod / 3600);
    const m = Math.floor((sod % 3600) / 60);
    const s = sod % 60;
    this.stamp = `${this.dayPrefix} ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  }
}
