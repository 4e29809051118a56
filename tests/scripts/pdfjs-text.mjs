// Prints the text pdf.js extracts from a PDF, page by page, each page ended
// by a form feed (as pdftotext does), for the verification tier.
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const path = process.argv[2];
if (!path) {
  console.error("usage: node pdfjs-text.mjs FILE.pdf");
  process.exit(2);
}
const data = new Uint8Array(readFileSync(path));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false, isEvalSupported: false }).promise;
let out = "";
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  for (const item of content.items) {
    out += item.str ?? "";
    if (item.hasEOL) out += "\n";
  }
  out += "\n\f";
}
process.stdout.write(out);
