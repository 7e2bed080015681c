// Conformance: every corpus line written by Postfix, Amavis or Dovecot must be recognised (any
// event but `unparsed`). Lines of other programs (sshd, spamd, opendkim ...) may stay unparsed.
// The *.msg files hold bare message bodies: corpus-helpers prepends a SYNTHETIC envelope
// (`Jan  1 00:00:00 msghost PROGRAM[1]: `) with the program named in the file's comments.
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../collectors/parse/envelope';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import { corpusFiles, corpusLines, isMailLine } from './corpus-helpers';

const ctx = () => ({ tz: 'Europe/Rome', year: yearFromStart(2024) });

/** Real lines of ours that are not parseable mail lines, with the reason. Key: `file:lineNo`. */
const EXPECTED_UNPARSED: Record<string, string> = {
  'MensEtManus_gomaillex_maillog.log:14': 'corrupted in the source file: "C05A...: removedo" (stray character after "removed")',
  'infohtreasure_Postfix-Maillog-Dump_maillog.log:52': 'line truncated in the source file right after "to=<...>, "',
  'derived/postfix-only_rfc3164.log:9': 'copy of MensEtManus_gomaillex_maillog.log:25 (corrupted "removedo")',
  'derived/postfix-only_rfc3164.log:372': 'copy of infohtreasure_Postfix-Maillog-Dump_maillog.log:52 (truncated line)',
  'sekoia_intake-formats_postfix.msg:228': 'collector appended a byte count (" 88") after "connect from unknown[10.1.1.1]"',
  'issue_Mailu_issue3450.log:3': 'no syslog stamp before the tag: "mailu-front[PID]: Sep 11 11:50:10 master: ..." (container stdout re-logged)',
};

const OUR_PROGRAM = /^(?:postfix|(?:.*\/)?amavis|dovecot|imap-login|pop3-login|imap$|pop3$|lmtp$)/;

describe('corpus conformance', () => {
  const files = corpusFiles();
  it('has the corpus copies', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  for (const file of files) {
    it(`recognises every mail line of ${file}`, () => {
      const failures: string[] = [];
      for (const l of corpusLines(file)) {
        const env = parseEnvelope(l.line, ctx());
        const ours = isMailLine(l.line) || (env !== null && OUR_PROGRAM.test(env.program));
        if (!ours) continue;
        const ev = parseLine(l.line, ctx());
        const key = `${file}:${l.lineNo}`;
        if (ev.kind === 'unparsed') {
          if (!(key in EXPECTED_UNPARSED)) failures.push(`${key} [${ev.reason}] ${l.line.slice(0, 200)}`);
        } else if (key in EXPECTED_UNPARSED) {
          failures.push(`${key} listed as expected-unparsed but is now ${ev.kind}: update the list`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
