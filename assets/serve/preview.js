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

// Glyphs drawn as paths rather than each build's fonts loaded into the
// page as web fonts: half the drawing time of the example's first page
// (scripts/serve-latency, 3 x 40 saves: 47-53 ms against 92-118 ms), the
// same look. `?fontface=1` loads them, for comparing the two.
const disableFontFace = new URLSearchParams(location.search).get("fontface") !== "1";

let latest = null; // the newest state heard of (from /state or an event)
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

// One page of `doc`, drawn off screen: its canvas and its text layer.
async function drawPage(doc, n) {
  const dpr = window.devicePixelRatio || 1;
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
  // The words come a moment after the picture: not on the path to it.
  const words = () =>
    new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  return [div, words];
}

// The indices of the pages on screen now (the first page when none is).
function onScreen(old) {
  const seen = old
    .map((div, i) => [div.getBoundingClientRect(), i])
    .filter(([box]) => box.bottom > 0 && box.top < window.innerHeight)
    .map(([, i]) => i);
  return seen.length ? seen : [0];
}

// Draws build `good` page by page off screen, the pages on screen first,
// and puts each in its old page's place once drawn: never a blank page,
// never a jump (the scroll position is kept).
async function draw(good) {
  const t0 = performance.now();
  // The PDF came with the event; asked for when it did not (the state
  // from /state, or a build published while the event was written).
  let data;
  if (good.pdf) {
    data = Uint8Array.fromBase64
      ? Uint8Array.fromBase64(good.pdf)
      : Uint8Array.from(atob(good.pdf), (c) => c.charCodeAt(0));
  } else {
    const r = await fetch(`${base}pdf?build=${good.build}`, { cache: "no-store" });
    if (!r.ok) throw new Error(`pdf: HTTP ${r.status}`);
    data = new Uint8Array(await r.arrayBuffer());
  }
  const t1 = performance.now();
  const doc = await pdfjs.getDocument({ data, worker, isEvalSupported: false, disableFontFace }).promise;
  const t2 = performance.now();
  const old = [...pages.children];
  const count = doc.numPages;
  const first = onScreen(old).filter((i) => i < count);
  const order = [...first, ...[...Array(count).keys()].filter((i) => !first.includes(i))];
  const fresh = new Array(count);
  const words = [];
  let t3 = 0;
  for (const [k, i] of order.entries()) {
    const [div, text] = await drawPage(doc, i + 1);
    fresh[i] = div;
    words.push(text);
    const y = window.scrollY;
    if (old[i]) old[i].replaceWith(fresh[i]);
    else pages.append(fresh[i]);
    window.scrollTo(window.scrollX, y);
    if (k + 1 === first.length) {
      // What the author looks at is new: the latency ends here.
      shown.built = good.build;
      shown.map = good;
      shown.shownAt = Date.now();
      t3 = performance.now();
    }
  }
  await Promise.all(words.map((text) => text()));
  old.slice(count).forEach((div) => div.remove());
  // Pages appended out of order (a longer document) go back in order.
  if (fresh.some((div, i) => pages.children[i] !== div)) pages.replaceChildren(...fresh);
  doc.destroy();
  shown.drawn += 1;
  // Where the time went, for scripts/serve-latency (ms; the times of day
  // are ms since the epoch): the build's start and end, the event sent and
  // heard, then fetch, parse and draw in the page.
  shown.timing = {
    started: good.started,
    ended: good.ended,
    stages: good.stages,
    sent: heard.sent,
    heard: heard.at,
    fetch: t1 - t0,
    parse: t2 - t1,
    draw: t3 - t2,
    build: good.ms,
  };
}

// When the newest state was sent and heard (ms since the epoch).
const heard = { sent: 0, at: 0 };

// Shows the newest state heard of, drawing its pages unless drawn already;
// a state heard while drawing is shown after.
async function update() {
  if (drawing || !latest) return;
  drawing = true;
  try {
    let s = null;
    while (s !== latest) {
      s = latest;
      problems(s);
      if (s.good && s.good.build !== shown.built) await draw(s.good);
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

// Each build's state comes with its event: no request before the pages'.
const events = new EventSource(base + "events");
events.onmessage = (e) => {
  latest = JSON.parse(e.data);
  heard.sent = latest.sent || 0;
  heard.at = Date.now();
  update();
};
// The state as the page opens, in case the stream is slow to start.
state()
  .then((s) => {
    if (!latest) {
      latest = s;
      update();
    }
  })
  .catch((e) => ($("status").textContent = `preview: ${e.message}`));
