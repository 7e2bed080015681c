// A search result's recipients: the searched address first, a long list cut with a count.
import { describe, it, expect } from 'vitest';
import { recipientsCell } from '../../web/src/lib/recipients';

describe('recipientsCell', () => {
  const many = ['a@x.it', 'b@x.it', 'c@x.it', 'd@x.it', 'Me@Unipi.it', 'f@x.it'];
  it('lists the searched address first (case-blind), then three in all and how many more', () => {
    expect(recipientsCell(many, 'me@unipi.it')).toBe('Me@Unipi.it, a@x.it, b@x.it and 3 more');
    expect(recipientsCell(many, null)).toBe('a@x.it, b@x.it, c@x.it and 3 more');
  });
  it('lists four or fewer whole', () => {
    expect(recipientsCell(many.slice(0, 4), 'd@x.it')).toBe('d@x.it, a@x.it, b@x.it, c@x.it');
    expect(recipientsCell([], 'd@x.it')).toBe('');
  });
});
