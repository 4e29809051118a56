// pdf.js (the legacy build, as Node runs it) over PDFs named on the command
// line: every page must return a structure tree, every list item's label
// must come before its body in it, and in the extracted text each list
// marker ("1.", "•", "–") must come right before the text on its line.
// Prints one line per problem and exits 1 if there was any.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// PDFJS_DIR: the folder pdfjs-dist was installed in (tests/run sets it).
const root = resolve(process.env.PDFJS_DIR || ".");
const pdfjs = await import(pathToFileURL(resolve(root, "node_modules/pdfjs-dist/legacy/build/pdf.mjs")).href);

let problems = 0;
const problem = (file, msg) => {
  problems++;
  console.log(`${file}: ${msg}`);
};

function walk(node, visit) {
  visit(node);
  for (const kid of node.children || []) walk(kid, visit);
}

for (const file of process.argv.slice(2)) {
  const data = new Uint8Array(readFileSync(file));
  const doc = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
  // The document's language (the catalog's /Lang, in the XMP too):
  // Arabic, Persian and Hebrew pages are mirrored.
  const meta = await doc.getMetadata();
  const lang = (meta.info && meta.info.Language) || (meta.metadata && meta.metadata.get("dc:language")) || "";
  const rtl = /^(ar|fa|he|ur)\b/i.test(String(lang));
  let items = 0;
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const tree = await page.getStructTree();
    if (!tree || !tree.children || tree.children.length === 0) {
      problem(file, `page ${p} has no structure tree`);
      continue;
    }
    // The marked-content ids of list labels, from the structure tree.
    const labels = new Set();
    walk(tree, (n) => {
      if (n.role === "Lbl") {
        walk(n, (k) => k.type === "content" && labels.add(k.id));
      }
      if (n.role !== "LI") return;
      items++;
      const roles = (n.children || []).map((k) => k.role).filter(Boolean);
      const lbl = roles.indexOf("Lbl");
      const body = roles.indexOf("LBody");
      // An item continued from the page before has its body alone here.
      if (body < 0 || (lbl >= 0 && lbl > body)) {
        problem(file, `page ${p}: a list item reads ${roles.join(", ")}, not Lbl before LBody`);
      }
    });
    // In the extracted text, each label is followed by the first words of its
    // item: on its baseline and to its right.
    const text = await page.getTextContent({ includeMarkedContent: true });
    let current = null;
    const runs = [];
    for (const item of text.items) {
      if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
        current = item.id || null;
      } else if (item.type === "endMarkedContent") {
        current = null;
      } else if (item.str && item.str.trim() !== "") {
        runs.push({ run: item, label: current !== null && labels.has(current) });
      }
    }
    let seen = 0;
    runs.forEach(({ run, label }, i) => {
      if (!label) return;
      seen++;
      const next = runs[i + 1] && runs[i + 1].run;
      // The text follows on the same line, to the right, or to the left in
      // a right-to-left document (the marker stands right of its item).
      const after = rtl ? next && next.transform[4] < run.transform[4] : next && next.transform[4] > run.transform[4];
      if (!next || Math.abs(next.transform[5] - run.transform[5]) > 0.5 || !after) {
        problem(file, `page ${p}: marker "${run.str}" is not followed by its item's text`);
      }
    });
    if (seen < labels.size) {
      problem(file, `page ${p}: ${labels.size - seen} list label(s) have no text`);
    }
  }
  console.log(`${file}: ${doc.numPages} page(s), structure tree on each, ${items} list item(s)`);
}
process.exit(problems ? 1 : 0);
