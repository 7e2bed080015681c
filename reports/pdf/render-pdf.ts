// Renders a report model to an A4 PDF with pdfkit: DejaVu fonts embedded, charts as PNG
// images, page numbers in the footer. The PDF's dates come from the model, so the same model
// renders the same document.
import type { ReportLanguage } from '../../core/config/reports-schema';
import type { ReportModel } from '../model/types';
import { fontPaths } from './fonts';
import { colors, PAGE, CONTENT_WIDTH } from './layout';
import { monthName } from './format';
import { stringsFor } from './strings';
import { cover, executiveSummary } from './sections/cover-summary';
import { traffic } from './sections/traffic';
import { availability } from './sections/availability';
import { cost } from './sections/cost';
import { method } from './sections/method';
import { loadChartLibraries } from '../charts/render-chart';

export async function renderReportPdf(model: ReportModel, lang: ReportLanguage): Promise<Buffer> {
  // loaded here, not with the module: only report rendering needs pdfkit and the canvas
  const [{ default: PDFDocument }] = await Promise.all([import('pdfkit'), loadChartLibraries()]);
  const s = stringsFor(lang);
  const created = new Date(model.generated_at);
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    lang: lang === 'it' ? 'it-IT' : 'en-GB',
    info: { Title: `${s.title} · ${s.subtitle} · ${monthName(lang, model.month)}`, Author: 'postino', Creator: 'postino', Producer: 'postino (pdfkit)', CreationDate: created, ModDate: created },
  });
  doc.registerFont('regular', fontPaths.regular);
  doc.registerFont('bold', fontPaths.bold);
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  cover(doc, model, lang);
  executiveSummary(doc, model, lang);
  // A month without data gets the short report: the summary says so, then the method page.
  if (model.has_data) {
    traffic(doc, model, lang);
    availability(doc, model, lang);
    cost(doc, model, lang);
  }
  method(doc, model, lang);

  const range = doc.bufferedPageRange();
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // writing below the bottom margin would add a page: lift the margin for the footer
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(colors.muted)
      .text(`postino · ${monthName(lang, model.month)} · ${s.page(i + 1, range.count)}`, PAGE.margin, PAGE.height - PAGE.margin + 15, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
