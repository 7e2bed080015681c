// The report's words, in Italian (the default) and English. Figures come from the model; only
// labels and sentences live here.
import type { ReportLanguage } from '../../core/config/reports-schema';
import type { KeyFigureName, FunnelStep } from '../model/types';

export interface Strings {
  title: string;
  subtitle: string;
  generatedAt: string;
  timeZone: string;
  contents: string[];
  summary: string;
  keyFigures: string;
  figure: string;
  thisMonth: string;
  vsPrevious: string;
  vsLastYear: string;
  keyNames: Record<KeyFigureName, string>;
  comparisonNote: string;
  slaLine: (met: number, total: number, target: string) => string;
  slaNotAvailable: string;
  costLine: (perMailbox: string, budget: string | null) => string;
  costNotAvailable: string;
  whatChanged: string;
  noDataTitle: string;
  noData: (from: string, to: string) => string;
  traffic: string;
  dailyVolumes: string;
  series: { messages: string; delivered: string; tagged: string; blocked: string; rejected: string; spamRate: string; imap: string; pop3: string };
  funnel: string;
  funnelSteps: Record<FunnelStep['step'], string>;
  share: string;
  ofPrevious: string;
  count: string;
  spamTrend: string;
  topRejects: string;
  rejectClass: Record<string, string>;
  otherClasses: string;
  rejectNote: (total: string, rollup: string) => string;
  logins: string;
  loginLine: (imap: string, pop3: string, failures: string, sasl: string, peak: string) => string;
  availability: string;
  notAvailableYet: string;
  service: string;
  availabilityCol: string;
  downtime: string;
  budgetUsed: string;
  status: string;
  met: string;
  missed: string;
  incidents: string;
  noIncidents: string;
  /** (shown, total): the rows left out of the incident table */
  moreIncidents: (shown: number, total: number) => string;
  causes: Record<string, string>;
  /** the department bucket of addresses no rule maps */
  unallocated: string;
  hostOnlyIncidents: (n: number) => string;
  start: string;
  duration: string;
  cause: string;
  maintenance: string;
  noMaintenance: string;
  from: string;
  to: string;
  note: string;
  cost: string;
  perMailbox: string;
  investment: string;
  running: string;
  full: string;
  perMessage: string;
  mailboxes: string;
  budgetVsActual: string;
  budgeted: string;
  actual: string;
  forecast: string;
  departments: string;
  department: string;
  storage: string;
  /** first and last snapshot of the month, in GB, and the change */
  storageChange: (from: string, to: string, delta: string, pct: string) => string;
  scenarios: string;
  scenario: string;
  method: string;
  methodItems: string[];
  availabilityRules: string[];
  coverage: string;
  coverageLine: (withData: number, days: number) => string;
  missingDays: (list: string) => string;
  unparsedLine: (unparsed: string, lines: string) => string;
  page: (n: number, of: number) => string;
  notAvailable: string;
  program: string;
  target: string;
}

const it: Strings = {
  title: 'Servizio di posta elettronica',
  subtitle: 'Rapporto mensile',
  generatedAt: 'Generato il',
  timeZone: 'Fuso orario',
  contents: ['1. Sintesi', '2. Traffico', '3. Disponibilità', '4. Costi', '5. Metodo e copertura dei dati'],
  summary: 'Sintesi',
  keyFigures: 'Dati principali',
  figure: 'Indicatore',
  thisMonth: 'Questo mese',
  vsPrevious: 'vs mese prec.',
  vsLastYear: 'vs anno prec.',
  keyNames: {
    delivered: 'Messaggi consegnati',
    blocked: 'Messaggi bloccati (spam, virus)',
    spam_rate: 'Quota di spam',
    rejected: 'Rifiuti SMTP',
    connections: 'Connessioni SMTP in ingresso',
    logins: 'Accessi IMAP/POP',
    unique_users: 'Utenti distinti (giorno di punta)',
  },
  comparisonNote: 'I confronti usano la media giornaliera sui giorni con dati; la quota di spam è confrontata in punti percentuali.',
  slaLine: (met, total, target) => `Disponibilità: ${met} servizi su ${total} hanno rispettato l'obiettivo del ${target}.`,
  slaNotAvailable: 'Disponibilità: dati non ancora disponibili.',
  costLine: (per, budget) => `Costo pieno per casella: ${per} l'anno${budget ? `; a budget: ${budget}` : ''}.`,
  costNotAvailable: 'Costo per casella: dati non ancora disponibili.',
  whatChanged: 'Cosa è cambiato',
  noDataTitle: 'Nessun dato per questo mese',
  noData: (from, to) => `Per il periodo dal ${from} al ${to} non è stata registrata alcuna riga di log: non ci sono cifre da riportare. Il rapporto non contiene grafici né confronti.`,
  traffic: 'Traffico',
  dailyVolumes: 'Volumi giornalieri',
  series: { messages: 'messaggi', delivered: 'consegnati', tagged: 'marcati come spam', blocked: 'bloccati', rejected: 'rifiutati', spamRate: 'quota di spam', imap: 'IMAP', pop3: 'POP3' },
  funnel: 'Le difese, passo per passo',
  funnelSteps: {
    connections: 'Connessioni SMTP',
    connections_passed: 'superano il filtro iniziale (postscreen)',
    received: 'messaggi accettati',
    clean_or_tagged: "superano l'antispam/antivirus",
    delivered: 'consegnati',
  },
  share: 'quota',
  ofPrevious: 'del passo prec.',
  count: 'numero',
  spamTrend: 'Andamento della quota di spam',
  topRejects: 'Principali motivi di rifiuto',
  rejectClass: {
    greylist: 'greylisting (attesa temporanea)',
    dnsbl: 'mittente in lista nera (DNSBL)',
    'unknown-recipient': 'destinatario inesistente',
    'relay-denied': 'inoltro non permesso',
    sender: 'indirizzo mittente non valido',
    helo: 'saluto HELO non valido',
    'client-hostname': 'nome del client non risolvibile',
    spf: 'SPF non superato',
    policy: 'politica locale',
    content: 'contenuto',
    protocol: 'errore di protocollo',
    tls: 'TLS richiesto',
    size: 'messaggio troppo grande',
    temporary: 'errore temporaneo',
    milter: 'filtro (milter)',
    other: 'altro',
  },
  otherClasses: 'altri motivi',
  rejectNote: (total, rollup) => `Motivi contati sulle righe di dettaglio ancora conservate: ${total} rifiuti (totale del mese: ${rollup}).`,
  logins: 'Accessi alle caselle',
  loginLine: (imap, pop3, failures, sasl, peak) =>
    `Accessi riusciti: ${imap} IMAP e ${pop3} POP3. Accessi falliti: ${failures} (IMAP/POP) e ${sasl} (autenticazione SMTP). Utenti distinti nel giorno di punta: ${peak}.`,
  availability: 'Disponibilità',
  notAvailableYet: 'I dati di questa sezione non sono ancora disponibili: il modulo che li calcola non è ancora attivo. Nessuna cifra è mostrata al loro posto.',
  service: 'Servizio',
  availabilityCol: 'Disponibilità',
  downtime: 'Fermo',
  budgetUsed: 'Margine usato',
  status: 'Esito',
  met: 'rispettato',
  missed: 'mancato',
  incidents: 'Incidenti',
  noIncidents: 'Nessun incidente nel mese.',
  moreIncidents: (shown, total) => `I ${shown} incidenti più lunghi su ${total}; gli altri sono su postino (pagina SLA).`,
  hostOnlyIncidents: (n) =>
    n === 1
      ? `Un guasto di un singolo host non ha interrotto il servizio: gli altri host lo hanno garantito (dettaglio sulla pagina SLA).`
      : `${n} guasti di singoli host non hanno interrotto il servizio: gli altri host lo hanno garantito (dettaglio sulla pagina SLA).`,
  unallocated: 'non assegnato',
  causes: { 'daemon-stop': 'servizio fermato', unreachable: 'non raggiungibile', quiet: 'host silenzioso', probe: 'sonda fallita' },
  start: 'Inizio',
  duration: 'Durata',
  cause: 'Causa',
  maintenance: 'Manutenzioni programmate',
  noMaintenance: 'Nessuna manutenzione programmata nel mese.',
  from: 'Dal',
  to: 'Al',
  note: 'Nota',
  cost: 'Costi',
  perMailbox: 'Costo per casella',
  investment: 'Investimento per casella',
  running: 'Costo di esercizio per casella, annuo',
  full: 'Costo pieno per casella, annuo',
  perMessage: 'Costo per messaggio consegnato',
  mailboxes: 'Caselle attive',
  budgetVsActual: 'Budget, consuntivo e previsione',
  budgeted: 'A budget (anno)',
  actual: 'Consuntivo finora',
  forecast: "Previsione per l'anno",
  departments: 'Quote dei dipartimenti',
  department: 'Dipartimento',
  storage: 'Crescita dello spazio occupato',
  storageChange: (from, to, delta, pct) => `Da ${from} GB a ${to} GB nel mese (${delta} GB, ${pct}); una riga a settimana.`,
  scenarios: 'Scenari (what-if)',
  scenario: 'Scenario',
  method: 'Metodo e copertura dei dati',
  methodItems: [
    'Tutte le cifre vengono dal log centrale dei server di posta, letto riga per riga; i giorni sono giorni di calendario nel fuso orario indicato.',
    'Connessioni: ogni connessione SMTP in ingresso (riga CONNECT di postscreen). Rifiuti: ogni riga di rifiuto di postscreen, smtpd o cleanup.',
    'Accettati: messaggi entrati dall\'esterno. Consegnati: messaggi arrivati alla casella (o inoltrati fuori), contati una volta.',
    'Marcati e bloccati: verdetti del filtro antispam/antivirus (Amavis). Quota di spam = (marcati + bloccati come spam) / tutti i messaggi esaminati.',
    'Accessi: sessioni IMAP/POP riuscite, contate una volta anche se passano per il proxy. Utenti distinti: contati su un giorno (il mese riporta il giorno di punta).',
  ],
  availabilityRules: [
    "Un servizio è fermo dall'arresto del suo processo al riavvio, e quando i client lo segnalano irraggiungibile o le sonde falliscono.",
    'Un servizio è disponibile se almeno uno dei suoi server lo fornisce; il fermo di un server di caselle pesa per la quota di caselle che ospita.',
    'Le manutenzioni dichiarate sono escluse dal periodo; i periodi senza dati non contano come disponibilità.',
    'Disponibilità = 1 − fermo pesato / (periodo − manutenzioni), arrotondata per difetto a 5 decimali (99,999% = 26 s al mese).',
  ],
  coverage: 'Copertura dei dati',
  coverageLine: (withData, days) => `Giorni con dati: ${withData} su ${days}.`,
  missingDays: (list) => `Giorni senza dati: ${list}.`,
  unparsedLine: (unparsed, lines) => `Righe non riconosciute: ${unparsed} su ${lines} lette dall'avvio della raccolta (il conteggio non è tenuto per mese).`,
  page: (n, of) => `Pagina ${n} di ${of}`,
  notAvailable: 'n/d',
  program: 'Programma',
  target: 'Obiettivo',
};

const en: Strings = {
  title: 'Mail service',
  subtitle: 'Monthly report',
  generatedAt: 'Generated on',
  timeZone: 'Time zone',
  contents: ['1. Summary', '2. Traffic', '3. Availability', '4. Cost', '5. Method and data coverage'],
  summary: 'Summary',
  keyFigures: 'Key figures',
  figure: 'Figure',
  thisMonth: 'This month',
  vsPrevious: 'vs prev. month',
  vsLastYear: 'vs last year',
  keyNames: {
    delivered: 'Messages delivered',
    blocked: 'Messages blocked (spam, virus)',
    spam_rate: 'Spam rate',
    rejected: 'SMTP rejects',
    connections: 'Inbound SMTP connections',
    logins: 'IMAP/POP logins',
    unique_users: 'Distinct users (busiest day)',
  },
  comparisonNote: 'Comparisons use the daily average over the days with data; the spam rate is compared in percentage points.',
  slaLine: (met, total, target) => `Availability: ${met} of ${total} services met the ${target} target.`,
  slaNotAvailable: 'Availability: data not available yet.',
  costLine: (per, budget) => `Full cost per mailbox: ${per} a year${budget ? `; budgeted: ${budget}` : ''}.`,
  costNotAvailable: 'Cost per mailbox: data not available yet.',
  whatChanged: 'What changed',
  noDataTitle: 'No data for this month',
  noData: (from, to) => `No log line was recorded from ${from} to ${to}: there are no figures to report. This report holds no charts and no comparisons.`,
  traffic: 'Traffic',
  dailyVolumes: 'Daily volumes',
  series: { messages: 'messages', delivered: 'delivered', tagged: 'tagged as spam', blocked: 'blocked', rejected: 'rejected', spamRate: 'spam rate', imap: 'IMAP', pop3: 'POP3' },
  funnel: 'The defenses, step by step',
  funnelSteps: {
    connections: 'SMTP connections',
    connections_passed: 'pass the first screen (postscreen)',
    received: 'messages accepted',
    clean_or_tagged: 'pass the spam/virus filter',
    delivered: 'delivered',
  },
  share: 'share',
  ofPrevious: 'of previous step',
  count: 'count',
  spamTrend: 'Spam rate trend',
  topRejects: 'Top reject reasons',
  rejectClass: {
    greylist: 'greylisting (asked to retry)',
    dnsbl: 'sender on a block list (DNSBL)',
    'unknown-recipient': 'unknown recipient',
    'relay-denied': 'relaying denied',
    sender: 'invalid sender address',
    helo: 'invalid HELO greeting',
    'client-hostname': 'client name does not resolve',
    spf: 'SPF failed',
    policy: 'local policy',
    content: 'content',
    protocol: 'protocol error',
    tls: 'TLS required',
    size: 'message too large',
    temporary: 'temporary failure',
    milter: 'filter (milter)',
    other: 'other',
  },
  otherClasses: 'other reasons',
  rejectNote: (total, rollup) => `Reasons counted on the detail lines still kept: ${total} rejects (month total: ${rollup}).`,
  logins: 'Mailbox logins',
  loginLine: (imap, pop3, failures, sasl, peak) =>
    `Successful logins: ${imap} IMAP and ${pop3} POP3. Failed logins: ${failures} (IMAP/POP) and ${sasl} (SMTP authentication). Distinct users on the busiest day: ${peak}.`,
  availability: 'Availability',
  notAvailableYet: 'The data of this section is not available yet: the module that computes it is not active yet. No figure is shown in its place.',
  service: 'Service',
  availabilityCol: 'Availability',
  downtime: 'Downtime',
  budgetUsed: 'Error budget used',
  status: 'Result',
  met: 'met',
  missed: 'missed',
  incidents: 'Incidents',
  noIncidents: 'No incident this month.',
  moreIncidents: (shown, total) => `The ${shown} longest of ${total} incidents; the others are on postino's SLA page.`,
  hostOnlyIncidents: (n) =>
    n === 1
      ? `1 outage of a single host did not interrupt the service: its peers carried it (details on the SLA page).`
      : `${n} outages of single hosts did not interrupt the service: their peers carried it (details on the SLA page).`,
  unallocated: 'unallocated',
  causes: { 'daemon-stop': 'daemon stopped', unreachable: 'unreachable', quiet: 'host silent', probe: 'probe failed' },
  start: 'Start',
  duration: 'Duration',
  cause: 'Cause',
  maintenance: 'Maintenance windows',
  noMaintenance: 'No maintenance window this month.',
  from: 'From',
  to: 'To',
  note: 'Note',
  cost: 'Cost',
  perMailbox: 'Cost per mailbox',
  investment: 'Investment per mailbox',
  running: 'Running cost per mailbox, yearly',
  full: 'Full cost per mailbox, yearly',
  perMessage: 'Cost per delivered message',
  mailboxes: 'Active mailboxes',
  budgetVsActual: 'Budget, actual and forecast',
  budgeted: 'Budgeted (year)',
  actual: 'Actual so far',
  forecast: 'Forecast for the year',
  departments: "Departments' shares",
  department: 'Department',
  storage: 'Storage growth',
  storageChange: (from, to, delta, pct) => `From ${from} GB to ${to} GB over the month (${delta} GB, ${pct}); one row a week.`,
  scenarios: 'What-if scenarios',
  scenario: 'Scenario',
  method: 'Method and data coverage',
  methodItems: [
    'Every figure comes from the central log of the mail servers, read line by line; days are calendar days in the time zone shown.',
    'Connections: every inbound SMTP connection (postscreen CONNECT line). Rejects: every reject line of postscreen, smtpd or cleanup.',
    'Accepted: messages received from outside. Delivered: messages that reached a mailbox (or were forwarded outside), counted once.',
    'Tagged and blocked: verdicts of the spam/virus filter (Amavis). Spam rate = (tagged + blocked as spam) / all messages checked.',
    'Logins: successful IMAP/POP sessions, counted once even through the proxy. Distinct users are counted over a day (the month shows its busiest day).',
  ],
  availabilityRules: [
    'A service is down from its daemon stopping to its restart, and while clients report it unreachable or probes fail.',
    "A service is available when at least one of its servers provides it; a mailbox server's downtime is weighted by its share of mailboxes.",
    'Declared maintenance is taken out of the window; spans without data do not count as available.',
    'Availability = 1 − weighted downtime / (window − maintenance), rounded down to 5 decimals (99.999% = 26 s a month).',
  ],
  coverage: 'Data coverage',
  coverageLine: (withData, days) => `Days with data: ${withData} of ${days}.`,
  missingDays: (list) => `Days without data: ${list}.`,
  unparsedLine: (unparsed, lines) => `Unrecognised lines: ${unparsed} of ${lines} read since collection began (the count is not kept per month).`,
  page: (n, of) => `Page ${n} of ${of}`,
  notAvailable: 'n/a',
  program: 'Program',
  target: 'Target',
};

export function stringsFor(lang: ReportLanguage): Strings {
  return lang === 'it' ? it : en;
}
