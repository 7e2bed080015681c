// Mails a month's PDF to the configured recipients through the configured SMTP relay.
import type { ReportsConfig, ReportLanguage } from '../../core/config/reports-schema';
import { monthName } from '../pdf/format';
import { stringsFor } from '../pdf/strings';

export interface MailedReport {
  accepted: string[];
  rejected: string[];
  messageId: string;
}

export async function mailReport(cfg: ReportsConfig['mail'], report: { month: string; lang: ReportLanguage; pdf: Buffer }): Promise<MailedReport | null> {
  if (cfg.recipients.length === 0) return null;
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: cfg.smtp.host,
    port: cfg.smtp.port,
    secure: cfg.smtp.secure,
    ...(cfg.smtp.auth ? { auth: { user: cfg.smtp.auth.user, pass: cfg.smtp.auth.pass } } : {}),
    connectionTimeout: 30_000,
  });
  const s = stringsFor(report.lang);
  const title = `${s.subtitle} · ${monthName(report.lang, report.month)}`;
  try {
    const info = await transport.sendMail({
      from: cfg.from,
      to: cfg.recipients,
      subject: `postino: ${title}`,
      text: report.lang === 'it' ? `In allegato il rapporto mensile del servizio di posta (${monthName('it', report.month)}).\n` : `Attached: the mail service's monthly report (${monthName('en', report.month)}).\n`,
      attachments: [{ filename: `postino-${report.month}.pdf`, content: report.pdf, contentType: 'application/pdf' }],
    });
    const addr = (a: unknown): string => (typeof a === 'string' ? a : ((a as { address?: string }).address ?? String(a)));
    return { accepted: (info.accepted ?? []).map(addr), rejected: (info.rejected ?? []).map(addr), messageId: info.messageId };
  } finally {
    transport.close();
  }
}
