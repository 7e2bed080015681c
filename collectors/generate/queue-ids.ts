// Queue ids drawn as Postfix draws them (global/mail_queue.c, mail_queue_enter): the time of
// the queue file's creation and its inode number, in either form (see parse/queue-id.ts). Long
// ids are what `enable_long_queue_ids = yes` writes: about one in several hundred has no capital
// letter, so the parsers meet those as often as in real logs.
import { longQid, shortQid } from '../parse/queue-id';
import { Rng } from './prng';

export type QueueIdForm = 'short' | 'long';

/** Inode numbers of queue files: a busy ext4 spool's range (4 to 5 base-51 digits). */
const INODE_MIN = 130_000;
const INODE_MAX = 40_000_000;

export class QueueIds {
  private readonly rng: Rng;
  /** long ids issued lately: Postfix never repeats one (the time part changes every microsecond) */
  private readonly issued = new Set<string>();
  private n = 0;

  /** `seed` keeps this stream apart from the generator's, so the choice of form changes no other draw. */
  constructor(
    readonly form: QueueIdForm,
    seed: number,
    private readonly offset: number,
  ) {
    this.rng = new Rng((seed ^ 0x51d1) >>> 0 || 1);
  }

  /** A new id for a queue file created at `at` (unix seconds, fractional). */
  next(at: number): string {
    if (this.form === 'short') return this.nextShort();
    for (;;) {
      const sec = Math.floor(at);
      const usec = this.rng.int(1_000_000);
      const id = longQid(sec, usec, this.rng.intRange(INODE_MIN, INODE_MAX));
      if (this.issued.has(id)) continue;
      // ids of seconds long past cannot collide with new ones: forget them now and then
      if (this.issued.size >= 200_000) this.issued.clear();
      this.issued.add(id);
      return id;
    }
  }

  /**
   * Short ids never repeat within a run either (the correlator would take two messages for one):
   * an odd multiplier is a bijection modulo 2^40; its upper 20 bits give the microseconds (below
   * 1,000,000, as Postfix's are) and the rest of them, with the lower 20, the inode number.
   */
  private nextShort(): string {
    const n = ++this.n;
    const x = (n * 0x2545f491 + this.offset) % 1099511627776;
    const hi = Math.floor(x / 1048576);
    const lo = x % 1048576;
    return shortQid(hi % 1_000_000, lo + 1048576 * (Math.floor(hi / 1_000_000) + 1));
  }
}
