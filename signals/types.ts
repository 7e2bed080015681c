// The shapes of signals: what fired, about whom, how bad, when, how often.
export const signalKinds = ['outbound_burst', 'outbound_spam', 'bounce_burst', 'smtp_auth_bruteforce', 'login_bruteforce', 'new_country', 'impossible_travel'] as const;
export type SignalKind = (typeof signalKinds)[number];
export const severities = ['low', 'medium', 'high'] as const;
export type Severity = (typeof severities)[number];
export const signalStates = ['open', 'acknowledged', 'closed'] as const;
export type SignalState = (typeof signalStates)[number];

/** A detected signal (one episode). Subject: a user name (lower case) or a client address. */
export interface Signal {
  kind: SignalKind;
  subject: string;
  severity: Severity;
  first_at: number;
  last_at: number;
  count: number;
  countries?: string[];
  /** why it fired, in words */
  detail: string;
}

/** A stored signal, with its operator state. */
export interface StoredSignal extends Signal {
  id: number;
  state: SignalState;
  note: string | null;
  state_by: string | null;
  state_at: number | null;
}
