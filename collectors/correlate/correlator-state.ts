// The correlator's saved state (the `correlator_state` row, written with every checkpoint): its
// shape and the version that names it. The version is bumped whenever the shape changes; a
// state of another version is dropped whole, never patched into shape. What it holds are open
// records (connections, sessions, queue ids waiting for their next line), which expire within
// hours anyway: an upgrade costs at most the outcome of what was open at that instant.
import type { LmtpMatcherState } from './lmtp-matcher';
import type { OpenMessage, RootInfo } from './message-families';
import type { PostscreenState } from './postscreen-tracker';
import type { OpenSession } from './smtpd-sessions';

/**
 * 2: the correlator split by lifecycle (issue 13); every field required, connection keys as
 * `host|ip]:port` only. (1 was written by earlier versions in several shapes.)
 */
export const CORRELATOR_STATE_VERSION = 2;

export interface CorrelatorState extends PostscreenState, LmtpMatcherState {
  version: typeof CORRELATOR_STATE_VERSION;
  nextMessageId: number;
  nextConnectionId: number;
  now: number;
  sessions: Array<[string, OpenSession]>;
  messages: Array<[string, OpenMessage]>;
  roots: Array<[number, RootInfo]>;
  awaitingLink: Array<[string, OpenMessage]>;
}

/**
 * A saved state, or null when it is not of this version (or not a state at all): then `onDrop`
 * hears why, in a line fit for the operator's log.
 */
export function parseCorrelatorState(json: string, onDrop: (why: string) => void): CorrelatorState | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    onDrop('saved correlator state is not JSON: dropped; open records start afresh');
    return null;
  }
  const version = v !== null && typeof v === 'object' ? (v as { version?: unknown }).version : undefined;
  if (version !== CORRELATOR_STATE_VERSION) {
    onDrop(
      `saved correlator state has version ${JSON.stringify(version ?? null)}, this postino reads version ${CORRELATOR_STATE_VERSION}: ` +
        'dropped; open connections and messages start afresh (they would have expired within hours)',
    );
    return null;
  }
  return v as CorrelatorState;
}

/**
 * The postscreen part of a state, for a correlator that will see only postscreen lines (the
 * reading thread of a bulk ingest); nothing else, or its sweep would expire records it never sees.
 */
export function postscreenPart(state: CorrelatorState | null): CorrelatorState | null {
  if (!state) return null;
  return { ...state, sessions: [], messages: [], roots: [], awaitingLink: [], lmtpSaved: [], lmtpDelivered: [] };
}

/** The rest of a state, for the correlator of the ingest thread: no open postscreen connections. */
export function withoutPostscreen(state: CorrelatorState | null): CorrelatorState | null {
  if (!state) return null;
  return { ...state, connections: [] };
}
