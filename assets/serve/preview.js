// The preview of one brief: the very PDF `brief build` writes, drawn by
// pdf.js with its text layer; updated when the server says a save built
// (Server-Sent Events); the last good pages stay under the problems of a
// save that does not build; a click on a text names its field and line.
import * as pdfjs from "/assets/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/assets/pdf.worker.min.mjs";
// One worker for every build: starting one (and parsing its 1.3 MB) per
// update would cost more than drawing the pages.
const worker = new pdfjs.PDFWorker();

const base = location.pathname.replace(/[^/]*$/, ""); // "/b/0/"
const $ = (id) => document.getElementById(id);
const pages = $("pages");

// What the page shows, for the user and for tests and the benchmark: the
// build drawn, when it was drawn (ms since the epoch), the problems shown.
const shown = { built: null, shownAt: 0, version: 0, errors: 0, map: null, drawn: 0 };
window.__brief = shown;

let latest = null; // the newest state heard of
let drawing = false;

async function state() {
  const r = await fetch(base + "state", { cache: "no-store" });
  if (!r.ok) throw new Error(`state: HTTP ${r.status}`);
  return r.json();
}

function problems(s) {
  const errors = s.errors || [];
  $("problems").hidden = errors.length === 0;
  // Text only: a source's words never become markup here.
  $("diagnostics").textContent = errors.map((d) => d.text).join("\n");
  shown.errors = errors.length;
  shown.version = s.version;
  $("name").textContent = s.name;
  document.title = `${s.name} · brief preview`;
  $("up").hidden = !s.folder;
  const status = errors.length
    ? `does not build (${errors.length} problem${errors.length === 1 ? "" : "s"})`
    : s.good
      ? `${s.good.pages.length} page${s.good.pages.length === 1 ? "" : "s"} · built in ${s.good.ms} ms`
      : "building…";
  $("status").textContent = status;
}

function scaleFor(widthPt) {
  return Math.min(1.5, Math.max(0.5, (document.documentElement.clientWidth - 48) / widthPt));
}

// Draws every page of build `good` off screen, then swaps them in at once,
// keeping the scroll position: no blank, no flicker.
async function draw(good) {
  const r = await fetch(`${base}pdf?build=${good.build}`, { cache: "no-store" });
  if (!r.ok) throw new Error(`pdf: HTTP ${r.status}`);
  const data = new Uint8Array(await r.arrayBuffer());
  const doc = await pdfjs.getDocument({ data, worker, isEvalSupported: false }).promise;
  const fresh = [];
  const dpr = window.devicePixelRatio || 1;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const scale = scaleFor(page.view[2] - page.view[0]);
    const viewport = page.getViewport({ scale });
    const div = document.createElement("div");
    div.className = "page";
    div.dataset.page = String(n - 1);
    div.dataset.scale = String(scale);
    div.style.width = `${viewport.width}px`;
    div.style.height = `${viewport.height}px`;
    div.style.setProperty("--scale-factor", String(scale));
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width * dpr);
    canvas.height = Math.floor(viewport.height * dpr);
    canvas.setAttribute("aria-hidden", "true");
    div.append(canvas);
    const transform = dpr === 1 ? null : [dpr, 0, 0, dpr, 0, 0];
    await page.render({ canvas, viewport, transform }).promise;
    const text = document.createElement("div");
    text.className = "textLayer";
    div.append(text);
    await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
    fresh.push(div);
  }
  const y = window.scrollY;
  pages.replaceChildren(...fresh);
  window.scrollTo(window.scrollX, y);
  doc.destroy();
  shown.built = good.build;
  shown.map = good;
  shown.drawn += 1;
  shown.shownAt = Date.now();
}

async function update() {
  if (drawing) return;
  drawing = true;
  try {
    for (;;) {
      const s = await state();
      latest = s;
      problems(s);
      if (!s.good || s.good.build === shown.built) break;
      await draw(s.good);
      if (latest.version === s.version) break;
    }
  } catch (e) {
    $("status").textContent = `preview: ${e.message}`;
  } finally {
    drawing = false;
  }
}

// Page to source: the smallest rectangle of the map under the click.
function origin(event) {
  const div = event.target.closest(".page");
  if (!div || !shown.map) return;
  const scale = Number(div.dataset.scale);
  const box = div.getBoundingClientRect();
  const x = (event.clientX - box.left) / scale;
  const y = (event.clientY - box.top) / scale;
  const fields = shown.map.pages[Number(div.dataset.page)]?.fields || [];
  let best = null;
  for (const f of fields) {
    const [fx, fy, fw, fh] = f;
    if (x >= fx - 1 && x <= fx + fw + 1 && y >= fy - 1 && y <= fy + fh + 1 && (!best || fw * fh < best[2] * best[3])) best = f;
  }
  div.querySelectorAll(".hit").forEach((h) => h.remove());
  if (!best) {
    $("origin").hidden = true;
    return;
  }
  const [fx, fy, fw, fh, path] = best;
  const hit = document.createElement("div");
  hit.className = "hit";
  Object.assign(hit.style, { left: `${fx * scale}px`, top: `${fy * scale}px`, width: `${fw * scale}px`, height: `${fh * scale}px` });
  div.append(hit);
  const at = shown.map.lines[path];
  $("field").textContent = path;
  $("line").textContent = at ? `${shown.map.file}:${at[0]}` : shown.map.file;
  const edit = $("edit");
  edit.hidden = !(at && shown.map.editor);
  if (at && shown.map.editor) {
    edit.href = shown.map.editor.replace("{line}", String(at[0])).replace("{col}", String(at[1]));
    edit.onclick = shown.map.editor_post
      ? (e) => {
          e.preventDefault();
          fetch(`${base}edit`, { method: "POST", body: `line=${at[0]}&col=${at[1]}` });
        }
      : null;
  }
  $("origin").hidden = false;
}

pages.addEventListener("click", origin);
$("close").addEventListener("click", () => ($("origin").hidden = true));

const events = new EventSource(base + "events");
events.onmessage = () => update();
update();
