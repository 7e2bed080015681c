// Small layout helpers over pdfkit for an A4 report: headings, paragraphs, tables that break
// across pages, and chart images. Positions are in PDF points (A4 = 595 x 842).
import type PDFKit from 'pdfkit';

export type Doc = PDFKit.PDFDocument;

export const PAGE = { width: 595.28, height: 841.89, margin: 50 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Lowest y for content: the footer (page numbers) lives below it. */
const BOTTOM = PAGE.height - PAGE.margin - 10;

export const colors = { text: '#1a202c', muted: '#4a5568', rule: '#cbd5e0', accent: '#2b6cb0', good: '#276749', bad: '#9b2c2c', band: '#edf2f7' };

export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

export function sectionTitle(doc: Doc, text: string): void {
  doc.font('bold').fontSize(18).fillColor(colors.accent).text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  const y = doc.y + 2;
  doc.moveTo(PAGE.margin, y).lineTo(PAGE.width - PAGE.margin, y).lineWidth(1).strokeColor(colors.accent).stroke();
  doc.y = y + 10;
  doc.fillColor(colors.text);
}

export function subTitle(doc: Doc, text: string): void {
  ensureSpace(doc, 40);
  doc.moveDown(0.4);
  doc.font('bold').fontSize(12).fillColor(colors.text).text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, opts: { size?: number; color?: string; bold?: boolean } = {}): void {
  doc
    .font(opts.bold ? 'bold' : 'regular')
    .fontSize(opts.size ?? 10)
    .fillColor(opts.color ?? colors.text);
  ensureSpace(doc, doc.heightOfString(text, { width: CONTENT_WIDTH }) + 4);
  doc.text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH, lineGap: 1.5 });
  doc.moveDown(0.35);
  doc.fillColor(colors.text);
}

export function bullets(doc: Doc, items: string[], size = 9.5): void {
  for (const item of items) {
    doc.font('regular').fontSize(size);
    ensureSpace(doc, doc.heightOfString(item, { width: CONTENT_WIDTH - 14 }) + 4);
    const y = doc.y;
    doc.text('•', PAGE.margin, y);
    doc.text(item, PAGE.margin + 14, y, { width: CONTENT_WIDTH - 14, lineGap: 1.2 });
    doc.moveDown(0.25);
  }
}

export interface Column {
  header: string;
  /** share of the content width */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface CellStyle {
  color?: string;
  bold?: boolean;
}

/** A table with a header row, repeated after a page break; `style` colours single cells. */
export function table(doc: Doc, columns: Column[], rows: string[][], style?: (row: number, col: number) => CellStyle | undefined): void {
  const size = 9;
  const pad = 4;
  const widths = columns.map((c) => c.width * CONTENT_WIDTH);
  const rowHeight = (cells: string[], bold: boolean): number => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], header: boolean, index: number): void => {
    const h = rowHeight(cells, header);
    if (doc.y + h > BOTTOM) {
      doc.addPage();
      if (!header) drawRow(columns.map((c) => c.header), true, -1);
    }
    const y = doc.y;
    if (header) doc.rect(PAGE.margin, y, CONTENT_WIDTH, h).fill(colors.band);
    let x = PAGE.margin;
    cells.forEach((cell, i) => {
      const st = header ? { bold: true } : (style?.(index, i) ?? {});
      doc
        .font(st.bold ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(st.color ?? colors.text)
        .text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
      x += widths[i]!;
    });
    doc.moveTo(PAGE.margin, y + h).lineTo(PAGE.margin + CONTENT_WIDTH, y + h).lineWidth(0.5).strokeColor(colors.rule).stroke();
    doc.y = y + h;
  };
  ensureSpace(doc, 3 * 20);
  drawRow(columns.map((c) => c.header), true, -1);
  rows.forEach((r, i) => drawRow(r, false, i));
  doc.fillColor(colors.text);
  doc.moveDown(0.6);
}

/** A chart image, full content width unless told, `height` points high. */
export function chartImage(doc: Doc, png: Buffer, height: number, width: number = CONTENT_WIDTH): void {
  ensureSpace(doc, height + 6);
  const y = doc.y;
  doc.image(png, PAGE.margin, y, { width, height });
  doc.y = y + height + 6;
}
