// The folder's index: every brief with its state, each a link to its
// preview, the summit book as one more; refreshed on every build.
const body = document.querySelector("#briefs tbody");

async function refresh() {
  const r = await fetch("/briefs", { cache: "no-store" });
  if (!r.ok) return;
  const list = await r.json();
  const rows = list.briefs.map((b) => {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    const a = document.createElement("a");
    a.href = b.href;
    a.textContent = b.name; // text only, never markup
    name.append(a);
    const state = document.createElement("td");
    state.textContent = b.state;
    state.className = `state-${b.state.split(" ")[0]}`;
    const pages = document.createElement("td");
    pages.textContent = b.pages ?? "–";
    const built = document.createElement("td");
    built.textContent = b.ms == null ? "–" : `${b.ms} ms`;
    tr.append(name, state, pages, built);
    return tr;
  });
  body.replaceChildren(...rows);
  document.getElementById("status").textContent = `${list.briefs.length} entries`;
  window.__briefs = list;
}

new EventSource("/events").onmessage = () => refresh();
refresh();
