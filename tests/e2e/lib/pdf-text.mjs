// The text of a PDF that Chromium printed, for the print tests: every Flate stream inflated
// (where fonts and text live), and the number of pages.
import { inflateSync } from 'node:zlib';

/** The PDF's bytes as text, with every Flate stream inflated. */
export function pdfAllText(pdf) {
  const raw = pdf.toString('latin1');
  let out = raw;
  const streams = /stream\r?\n/g;
  let m;
  while ((m = streams.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      out += inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      // Not Flate (images): searched as they are.
    }
  }
  return out;
}

/** How many pages the PDF has (its `/Type /Page` objects). */
export const pdfPageCount = (pdf) => (pdfAllText(pdf).match(/\/Type\s*\/Page[^s]/g) ?? []).length;
