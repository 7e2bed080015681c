// A search result's recipients in one table cell.

/** recipients listed in a search result's row */
export const RECIPIENTS_SHOWN = 3;

/** A row's recipients, the searched address first: a list of dozens would make one row a screen (the trace has them all). */
export function recipientsCell(all: string[], searched: string | null): string {
  const hit = (a: string): boolean => searched !== null && a.toLowerCase() === searched.toLowerCase();
  const list = [...all.filter(hit), ...all.filter((a) => !hit(a))];
  return list.length > RECIPIENTS_SHOWN + 1 ? `${list.slice(0, RECIPIENTS_SHOWN).join(', ')} and ${list.length - RECIPIENTS_SHOWN} more` : list.join(', ');
}
