"""The preview in a real browser: Debian's Chromium, headless, driven by
Selenium through the system's /usr/bin/chromedriver (never one fetched from
the network). Run by tests/browser.rs, or by scripts/serve-latency for the
latency figures:

    preview-browser.py check URL SOURCE FOLDER_URL SHOTS
    preview-browser.py latency URL SOURCE ROUNDS

`check` loads the preview, reads the title from pdf.js's text layer, edits
the source and sees the new title, breaks it and sees the diagnostic with
its line over the old pages, clicks a key message, a chart and the marking
and gets each one's field and line, and takes screenshots (preview, error
overlay, folder index).
`latency` saves the source ROUNDS times and prints the time from each save
to its pages on screen, as JSON, with the median of each part of it: the
watcher (save to build start), the build and its stages, the event on its
way, then in the page the PDF decoded, parsed and drawn.
BRIEF_LATENCY_QUERY gives the page options ("?fontface=1": fonts loaded as
web fonts instead of glyphs drawn as paths).
"""

import json
import os
import shutil
import sys
import tempfile
import time

os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never downloads anything

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By

PATIENCE = 20.0


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1100,1300",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def until(driver, what, script, *args):
    """Polls `script` until it returns something true; that value."""
    started = time.time()
    while True:
        value = driver.execute_script(script, *args)
        if value:
            return value
        if time.time() - started > PATIENCE:
            state = driver.execute_script("return JSON.stringify(window.__brief || null)")
            raise AssertionError(f"waited in vain for {what}; page state {state}")
        time.sleep(0.01)


PAGE_TEXT = """
const layer = document.querySelector('.page[data-page="0"] .textLayer');
return layer ? [...layer.querySelectorAll('span')].map(s => s.textContent).join(' ').replace(/\\s+/g, ' ') : '';
"""

HAS_TEXT = PAGE_TEXT.strip().replace("return layer", "const t = layer", 1) + "; return t.includes(arguments[0]);"


# The page and the point (CSS pixels from the page's top left) at the
# middle of a field's first box, from the map the page holds.
CLICK_AT = """
const map = window.__brief.map;
if (!map) return null;
for (const [n, page] of map.pages.entries()) {
  const f = page.fields.find((f) => f[4] === arguments[0]);
  const div = document.querySelector(`.page[data-page="${n}"]`);
  if (f && div) {
    const scale = Number(div.dataset.scale);
    return [n, (f[0] + f[2] / 2) * scale, (f[1] + f[3] / 2) * scale];
  }
}
return null;
"""


VIEWPORT_AT = """
const div = document.querySelector(`.page[data-page="${arguments[0]}"]`);
let box = div.getBoundingClientRect();
window.scrollBy(0, box.top + arguments[2] - window.innerHeight / 2);
box = div.getBoundingClientRect();
return [box.left + arguments[1], box.top + arguments[2]];
"""


def replace(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert old in text, (old, path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))


def line_of(path, needle):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if needle in line:
                return n
    raise AssertionError(needle)


def drawn(driver, after):
    return until(driver, f"a drawing after {after}", "return window.__brief && window.__brief.drawn > arguments[0] && window.__brief.drawn", after)


def check(url, source, folder_url, shots):
    profile = tempfile.mkdtemp(prefix="brief-chromium-")
    driver = browser(profile)
    try:
        driver.get(url + "b/0/")
        drawn(driver, 0)
        text = driver.execute_script(PAGE_TEXT)
        assert "Azerbaijan – Kyrgyzstan bilateral meeting" in text, text
        print("title read from the text layer")

        # A save: the new title, without a reload.
        driver.execute_script("window.__marker = 1")
        before = driver.execute_script("return window.__brief.drawn")
        t0 = time.time() * 1000
        replace(source, "title: Azerbaijan – Kyrgyzstan", "title: Azerbaijan – Kyrgyz Republic")
        drawn(driver, before)
        until(driver, "the new title", HAS_TEXT, "Azerbaijan – Kyrgyz Republic bilateral meeting")
        shown = driver.execute_script("return window.__brief.shownAt")
        assert driver.execute_script("return window.__marker") == 1, "updated in place, not reloaded"
        print(f"new title shown {shown - t0:.0f} ms after the save")

        # A broken save: the diagnostic with its line, the old pages under it.
        date_line = line_of(source, "  date: 2021-07-05")
        replace(source, "  date: 2021-07-05", "  date: 2021-13-45")
        until(driver, "the problems", "return !document.getElementById('problems').hidden")
        diagnostics = driver.find_element(By.ID, "diagnostics").text
        name = os.path.basename(source)
        assert f"{name}:{date_line}:" in diagnostics, diagnostics
        assert "Kyrgyz Republic bilateral meeting" in driver.execute_script(PAGE_TEXT), "the last good pages stay"
        driver.save_screenshot(os.path.join(shots, "preview-error.png"))
        print(f"diagnostic at line {date_line} over the last good pages")
        before = driver.execute_script("return window.__brief.drawn")
        replace(source, "  date: 2021-13-45", "  date: 2021-07-05")
        until(driver, "the problems cleared", "return document.getElementById('problems').hidden")
        drawn(driver, before)

        # Page to source: a key message names its field and line.
        spans = driver.find_elements(By.CSS_SELECTOR, ".textLayer span")
        target = next(s for s in spans if "intergovernmental commission should" in s.text)
        target.click()
        until(driver, "the origin", "return !document.getElementById('origin').hidden")
        field = driver.find_element(By.ID, "field").text
        line = driver.find_element(By.ID, "line").text
        want = line_of(source, "The joint intergovernmental commission should")
        assert field == "key_messages[1]", field
        assert line == f"{source}:{want}" or line.endswith(f"{name}:{want}"), line
        print(f"clicked: {field} at {line}")

        # A chart and the marking at the head of the page name theirs too:
        # clicked where the map says they stand, not found by their text.
        for path, needle in [("figures[0]", "- id: trade-turnover"), ("brief.classification", "  classification:")]:
            page, x, y = until(driver, f"the box of {path}", CLICK_AT, path)
            # The point brought to the middle of the window, then clicked
            # there as a mouse would (window coordinates).
            vx, vy = driver.execute_script(VIEWPORT_AT, page, x, y)
            actions = ActionBuilder(driver)
            actions.pointer_action.move_to_location(int(vx), int(vy)).click()
            actions.perform()
            until(driver, f"{path} named", "return document.getElementById('field').textContent === arguments[0]", path)
            line = driver.find_element(By.ID, "line").text
            want = line_of(source, needle)
            assert line.endswith(f"{name}:{want}"), (path, line, want)
            print(f"clicked: {path} at {line}")
            if path.startswith("figures"):
                driver.save_screenshot(os.path.join(shots, "preview.png"))

        driver.get(folder_url)
        until(driver, "the index", "return window.__briefs && window.__briefs.briefs.every(b => b.state !== 'building')")
        driver.save_screenshot(os.path.join(shots, "folder-index.png"))
        print("folder index shown")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def latency(url, source, rounds):
    profile = tempfile.mkdtemp(prefix="brief-chromium-")
    driver = browser(profile)
    times = []
    parts = []
    try:
        # BRIEF_LATENCY_QUERY: the page's options, e.g. "?fontface=0".
        driver.get(url + "b/0/" + os.environ.get("BRIEF_LATENCY_QUERY", ""))
        drawn(driver, 0)
        for i in range(rounds):
            before = driver.execute_script("return window.__brief.drawn")
            time.sleep(0.15)  # an author types between saves
            t0 = time.time() * 1000
            replace(source, "title: ", f"title: {i % 10}")
            drawn(driver, before)
            times.append(driver.execute_script("return window.__brief.shownAt") - t0)
            timing = driver.execute_script("return window.__brief.timing")
            # From the save to the build's start (the watcher), the build,
            # the event on its way, then the page's own steps.
            timing["watch"] = timing["started"] - t0
            timing["event"] = timing["heard"] - timing["ended"]
            for stage, ms in (timing.get("stages") or {}).items():
                timing[f"build.{stage}"] = ms
            parts.append(timing)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(round(q * (len(times) - 1))))]
    median = lambda key: sorted(p[key] for p in parts)[len(parts) // 2]
    keys = ["watch", "build", "event", "fetch", "parse", "draw"]
    keys += sorted(k for k in parts[0] if k.startswith("build."))
    split = {key: round(median(key), 1) for key in keys}
    print(json.dumps({"rounds": rounds, "p50_ms": round(pick(0.5)), "p95_ms": round(pick(0.95)), "max_ms": round(times[-1]), "median_parts_ms": split, "all_ms": [round(t) for t in times]}))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:6])
    elif sys.argv[1] == "latency":
        latency(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
