import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { NoticeText } from './notice-text';

// The printable notice (R-A7, R-M9): A4, Chinese, laid out with pdfkit. The font is Noto Serif CJK
// from Debian's fonts-noto-cjk (scripts/install.sh installs it; NOTICE_FONT_DIR says where), read
// once per process and embedded as a subset: only the glyphs a notice uses go into the file.

const FACES = {
  regular: ['NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  bold: ['NotoSerifCJK-Bold.ttc', 'NotoSerifCJKsc-Bold'],
} as const;

export class FontMissingError extends Error {
  constructor(dir: string) {
    super(`the notice font (Noto Serif CJK) is not in ${dir}: run scripts/install.sh documents`);
    this.name = 'FontMissingError';
  }
}

const loaded = new Map<string, Promise<{ regular: Buffer; bold: Buffer }>>();

function fontsIn(dir: string) {
  let fonts = loaded.get(dir);
  if (!fonts) {
    fonts = Promise.all([readFile(join(dir, FACES.regular[0])), readFile(join(dir, FACES.bold[0]))]).then(
      ([regular, bold]) => ({ regular, bold }),
      () => {
        loaded.delete(dir);
        throw new FontMissingError(dir);
      },
    );
    loaded.set(dir, fonts);
  }
  return fonts;
}

const MARGIN = 72; // 2.54 cm
const BODY = 12;

export async function noticePdf(text: NoticeText, fontDir: string, issuedAt: Date): Promise<Buffer> {
  const fonts = await fontsIn(fontDir);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: text.title, Author: text.issuer, Subject: text.number, CreationDate: issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', fonts.regular, FACES.regular[1]);
  doc.registerFont('bold', fonts.bold, FACES.bold[1]);
  const width = doc.page.width - 2 * MARGIN;

  doc.font('bold').fontSize(20).text(text.issuer, { align: 'center' });
  doc.moveDown(0.3).fontSize(16).text(text.title, { align: 'center' });
  doc.moveDown(0.3).font('body').fontSize(9).text(`编号：${text.number}`, { align: 'right' });
  doc.moveDown(1).fontSize(BODY).text(text.salutation);

  doc.moveDown(0.5);
  for (const [label, value] of text.household) doc.text(`${label}：${value}`, { indent: 24 });

  const paragraph = (heading: string, body: string) => {
    doc.moveDown(0.6).font('bold').text(heading).font('body');
    doc.text(body, { indent: 24, lineGap: 4, width });
  };
  paragraph('一、决定', text.decision);
  paragraph('二、理由', text.reasons);
  doc.moveDown(0.6).font('bold').text('三、涉及金额与月份').font('body');
  for (const [label, value] of text.particulars) doc.text(`${label}：${value}`, { indent: 24, lineGap: 2 });
  paragraph('四、依据', text.basis);
  paragraph('五、救济途径', text.appeal);

  doc.moveDown(2).text(text.issuer, { align: 'right' });
  doc.text(text.date, { align: 'right' });
  doc.end();
  return done;
}
