// The three generated sentences of the executive summary, saying what changed: mail delivered,
// the spam rate, and the biggest mover among the other key figures. Each compares with the
// previous month, or with the same month last year when the previous month has no data.
import type { ReportLanguage } from '../../core/config/reports-schema';
import type { KeyFigure, ReportModel } from '../model/types';
import { fmtInt, fmtPct } from './format';
import { stringsFor } from './strings';

type Basis = 'previous' | 'last_year';

function comparison(k: KeyFigure): { change: number; base: number | null; basis: Basis } | null {
  if (k.change_previous !== null) return { change: k.change_previous, base: k.previous, basis: 'previous' };
  if (k.change_last_year !== null) return { change: k.change_last_year, base: k.last_year, basis: 'last_year' };
  return null;
}

const it = {
  basis: (b: Basis) => (b === 'previous' ? 'rispetto al mese precedente' : 'rispetto allo stesso mese dell\'anno scorso'),
  // Italian participles agree with the noun: connessioni is feminine, the other figures masculine
  moved: (c: number, fem = false) => {
    const e = fem ? 'e' : 'i';
    return Math.abs(c) < 0.005 ? `sono rimast${e} stabili` : c > 0 ? `sono aumentat${e} del ${fmtPct('it', Math.abs(c))}` : `sono diminuit${e} del ${fmtPct('it', Math.abs(c))}`;
  },
  noBase: (name: string) => `${name}: nessun mese di confronto con dati, quindi nessun confronto.`,
};
const en = {
  basis: (b: Basis) => (b === 'previous' ? 'compared with the previous month' : 'compared with the same month last year'),
  moved: (c: number, _fem = false) => (Math.abs(c) < 0.005 ? 'held steady' : c > 0 ? `rose by ${fmtPct('en', Math.abs(c))}` : `fell by ${fmtPct('en', Math.abs(c))}`),
  noBase: (name: string) => `${name}: no month to compare with has data, so there is no comparison.`,
};

function countSentence(lang: ReportLanguage, k: KeyFigure): string {
  const s = stringsFor(lang);
  const w = lang === 'it' ? it : en;
  const c = comparison(k);
  if (!c) return w.noBase(s.keyNames[k.name]);
  const what = s.keyNames[k.name];
  const detail =
    k.kind === 'peak'
      ? lang === 'it' ? `giorno di punta: ${fmtInt(lang, k.value)}` : `busiest day: ${fmtInt(lang, k.value)}`
      : lang === 'it' ? `media giornaliera; totale del mese ${fmtInt(lang, k.value)}` : `daily average; month total ${fmtInt(lang, k.value)}`;
  return `${what} ${w.moved(c.change, k.name === 'connections')} ${w.basis(c.basis)} (${detail}).`;
}

function rateSentence(lang: ReportLanguage, k: KeyFigure): string {
  const s = stringsFor(lang);
  const w = lang === 'it' ? it : en;
  const c = comparison(k);
  if (!c || k.value === null) return w.noBase(s.keyNames[k.name]);
  const pts = fmtPct(lang, Math.abs(c.change)).replace('%', '');
  if (lang === 'it') {
    const verb = Math.abs(c.change) < 0.0005 ? 'è rimasta stabile' : c.change > 0 ? `è salita di ${pts} punti` : `è scesa di ${pts} punti`;
    return `La quota di spam ${verb} ${w.basis(c.basis)}, al ${fmtPct(lang, k.value)} dei messaggi esaminati.`;
  }
  const verb = Math.abs(c.change) < 0.0005 ? 'held steady' : c.change > 0 ? `rose by ${pts} points` : `fell by ${pts} points`;
  return `The spam rate ${verb} ${w.basis(c.basis)}, to ${fmtPct(lang, k.value)} of the messages checked.`;
}

export function summarySentences(model: ReportModel, lang: ReportLanguage): [string, string, string] {
  const by = new Map(model.key_figures.map((k) => [k.name, k]));
  const delivered = by.get('delivered')!;
  const spam = by.get('spam_rate')!;
  // the biggest move among the remaining counts, by the size of its change
  const rest = model.key_figures.filter((k) => k.name !== 'delivered' && k.name !== 'spam_rate');
  const ranked = rest
    .map((k) => ({ k, c: comparison(k) }))
    .sort((a, b) => Math.abs(b.c?.change ?? -1) - Math.abs(a.c?.change ?? -1));
  return [countSentence(lang, delivered), rateSentence(lang, spam), countSentence(lang, ranked[0]!.k)];
}
