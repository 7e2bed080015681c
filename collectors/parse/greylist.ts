// milter-greylist messages. No real milter-greylist line was found for the corpus; the shapes
// below are the ones its source code logs (see /work/shared/corpus/INDEX.txt, last lines):
//   "QUEUEID: addr IP from SENDER to RCPT delayed for HH:MM:SS"
//   "QUEUEID: addr IP from SENDER rcpt RCPT: autowhitelisted for HH:MM:SS" (or "for more HH:MM:SS")
// The `QUEUEID: ` prefix may read `NOQUEUE: ` or be absent; addresses may or may not carry <>.
import type { Envelope, MailEvent } from './events';
import { unangle } from './patterns';

// `4FA2B1C2D3: addr 192.0.2.1 from <a@example.org> to <b@example.net> delayed for 00:05:00`
const RE_DELAYED = /^(?:([0-9A-Za-z]+): )?addr (\S+) from (\S*) to (\S*) delayed for (\d+):(\d\d):(\d\d)/;
// `4FA2B1C2D3: addr 192.0.2.1 from <a@example.org> rcpt <b@example.net>: autowhitelisted for 24:00:00`
const RE_AUTOWHITELISTED = /^(?:([0-9A-Za-z]+): )?addr (\S+) from (\S*) rcpt (\S*?): autowhitelisted for /;

export function parseGreylist(env: Envelope): MailEvent {
  const b = { at: env.at, host: env.host, program: env.program, pid: env.pid };
  let m = RE_DELAYED.exec(env.message);
  if (m) {
    return {
      at: b.at, host: b.host, program: b.program, pid: b.pid,
      kind: 'greylist.delayed',
      qid: m[1] && m[1] !== 'NOQUEUE' ? m[1] : null,
      clientIp: m[2]!,
      from: unangle(m[3]!),
      to: unangle(m[4]!),
      delaySeconds: Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]),
    };
  }
  m = RE_AUTOWHITELISTED.exec(env.message);
  if (m) {
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'greylist.autowhitelisted', qid: m[1] && m[1] !== 'NOQUEUE' ? m[1] : null, clientIp: m[2]!, from: unangle(m[3]!), to: unangle(m[4]!) };
  }
  return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'noise', family: 'greylist' };
}
