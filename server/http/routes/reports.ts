// Monthly reports (manager and above): the list of the reports folder, a PDF's download, and
// generation on demand. Reports hold no personal data, so managers see all of them.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { requireRole } from '../auth';
import { parseQuery } from '../params';
import { HttpError, badRequest, describeZod } from '../errors';
import { ReportStore } from '../../../reports/report-store';
import { generateReport, ReportInputError } from '../../../reports/generate-report';
import { renderReportPdf } from '../../../reports/pdf/render-pdf';
import { isMonth } from '../../../reports/model/month';
import { reportLanguages } from '../../../core/config/reports-schema';

const monthParam = z.string().refine(isMonth, 'expected a month YYYY-MM');
const langParam = z.enum(reportLanguages, { message: 'expected it or en' });

export function reportsRouter(deps: Required<Pick<AppDeps, 'db' | 'config' | 'now'>>): Router {
  const { db, config, now } = deps;
  const store = new ReportStore(config.reports.folder);
  const r = Router();

  r.get('/api/reports', requireRole('manager'), (req, res) => {
    parseQuery(z.object({}), req.query);
    res.json({
      language: config.reports.language,
      schedule: config.reports.scheduled ? config.reports.schedule : null,
      tz: config.timezone,
      mail: config.reports.mail.recipients.length > 0,
      reports: store.list().map((x) => ({ ...x, urls: Object.fromEntries(x.pdfs.map((p) => [p.lang, `/api/reports/${x.month}.pdf?lang=${p.lang}`])) })),
    });
  });

  // The stored PDF; a language not rendered yet is rendered from the stored model (same
  // figures) and not saved: a GET writes nothing.
  r.get('/api/reports/:month.pdf', requireRole('manager'), async (req, res) => {
    const month = monthParam.safeParse(req.params.month);
    if (!month.success) throw badRequest(`month: ${describeZod(month.error)}`);
    const q = parseQuery(z.object({ lang: langParam.optional() }), req.query);
    const lang = q.lang ?? config.reports.language;
    let pdf = store.readPdf(month.data, lang);
    if (!pdf) {
      const model = store.readModel(month.data);
      if (!model) throw new HttpError(404, `no report for ${month.data}: generate it first (POST /api/reports)`);
      pdf = await renderReportPdf(model, lang);
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="postino-${month.data}.${lang}.pdf"`);
    res.send(pdf);
  });

  r.post('/api/reports', requireRole('manager'), async (req, res) => {
    const body = z
      .strictObject({ month: monthParam, lang: langParam.optional(), recompute: z.boolean().optional() })
      .safeParse(req.body ?? {});
    if (!body.success) throw badRequest(describeZod(body.error));
    try {
      const g = await generateReport(db, config, body.data.month, { ...(body.data.lang ? { lang: body.data.lang } : {}), recompute: body.data.recompute ?? false, now: now() });
      res.status(201).json({
        month: g.model.month,
        lang: g.lang,
        has_data: g.model.has_data,
        generated_at: g.model.generated_at,
        reused: g.reused,
        url: `/api/reports/${g.model.month}.pdf?lang=${g.lang}`,
      });
    } catch (e) {
      if (e instanceof ReportInputError) throw badRequest(e.message);
      throw e;
    }
  });

  return r;
}
