// Reads the corpus copies in test/fixtures/corpus. Helper for the conformance tests (not a test).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');

export interface CorpusLine {
  file: string;
  /** 1-based line number in the file */
  lineNo: number;
  /** the line as fed to the parser (synthetic envelope added for *.msg bodies) */
  line: string;
  /** for *.msg files: the program named by the preceding `# program:` / `# appname:` comment */
  program: string | null;
}

export function corpusFiles(): string[] {
  const top = readdirSync(CORPUS_DIR).filter((f) => /\.(log|msg|json)$/.test(f));
  const derived = readdirSync(join(CORPUS_DIR, 'derived')).map((f) => `derived/${f}`);
  return [...top, ...derived].sort();
}

/**
 * The data lines of a corpus file (comment and empty lines dropped). For the *.msg files,
 * which hold bare message bodies, a SYNTHETIC envelope `Jan  1 00:00:00 msghost PROGRAM[1]: ` is
 * prepended, PROGRAM taken from the `# program:` (whyscream) or `# appname:` (sekoia) comment
 * above the line; sekoia sections without an appname ("not set", "-") get `unknown` (not one of ours).
 */
export function corpusLines(file: string): CorpusLine[] {
  const text = readFileSync(join(CORPUS_DIR, file), 'utf8');
  const out: CorpusLine[] = [];
  const isMsg = file.endsWith('.msg');
  let program: string | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#')) {
      const m = /^# (?:program|appname): (\S+)/.exec(line);
      // sekoia sections without an appname mix postfix with policyd-spf/postgrey/spamd bodies: no program claimed
      if (m) program = m[1]!.startsWith('(') || m[1] === '-' ? 'unknown' : m[1]!;
      return;
    }
    if (line.trim() === '') return;
    if (isMsg) out.push({ file, lineNo: i + 1, line: `Jan  1 00:00:00 msghost ${program ?? 'unknown'}[1]: ${line}`, program });
    else out.push({ file, lineNo: i + 1, line, program: null });
  });
  return out;
}

// `postfix/smtpd[123]: `, `postfix-out/smtpd: `, `amavis[1]: `, `/usr/sbin/amavisd-new[2]: `, `dovecot: `, `imap-login: `
const RE_MAIL_PROGRAM = /(?:^|\s)(?:postfix[\w/-]*|(?:\/\S+\/)?amavis[\w-]*|dovecot|imap-login|pop3-login)(?:\[\d+\])?: /;

/** True when the raw line is written by one of our programs (judged on the text, so lines with unreadable envelopes count too). */
export function isMailLine(line: string): boolean {
  return RE_MAIL_PROGRAM.test(line.slice(0, 200));
}
