"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (commands on its fd 3,
answers on its fd 4, NUL-separated JSON), so the test needs no Python package
beyond the standard library.  The reports are made by the real command line
from the samples of each language; every check compares the page with the JSON
Lines records of the same run.

Screenshots go to a temporary directory, or to ``$COOPFACTS_SCREENSHOTS`` when
set.  The whole module is skipped, with the reason, only when no Chromium binary
exists (``$COOPFACTS_CHROMIUM`` names one explicitly).
"""
from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from conftest import jsonl

REPO = Path(__file__).resolve().parents[1]
LANGS = ("ar", "fa", "fr")
DIRECTION = {"ar": "rtl", "fa": "rtl", "fr": "ltr"}
OWN_DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹", "fr": "0123456789"}
BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    named = os.environ.get("COOPFACTS_CHROMIUM")
    if named:
        return named  # named explicitly: a wrong name must fail, not skip
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if os.access(path, os.X_OK):
            return path
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary found (looked for " + ", ".join(BINARIES) + " on PATH, /usr/bin/chromium, /usr/lib/chromium/chromium); "
           "install the Debian package: apt-get install chromium, or set COOPFACTS_CHROMIUM")


class Browser:
    """Just enough of the Chrome DevTools protocol, over a pipe."""

    def __init__(self, binary: str, profile: Path):
        cmd_r, self.cmd_w = os.pipe()  # we write commands, Chromium reads them on fd 3
        self.res_r, res_w = os.pipe()  # Chromium writes answers on fd 4

        def child_fds() -> None:
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
            b = fcntl.fcntl(res_w, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(a, 3)  # dup2 leaves 3 and 4 open across exec
            os.dup2(b, 4)

        self.log = profile / "chromium.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                 "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--lang=en-US",
                 f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=child_fds, close_fds=False)
        os.close(cmd_r)
        os.close(res_w)
        self.buf = b""
        self.ids = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.res_r], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium exited; its log: {self.log.read_text(errors='replace')[-2000:]}")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self.ids += 1
        msg: dict[str, Any] = {"id": self.ids, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.cmd_w, data):]
        deadline = time.monotonic() + timeout
        while True:
            m = self._message(deadline)
            if m.get("id") == self.ids:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method: str, session: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method and m.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._message(deadline))

    def page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session, target)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.res_r)


class Page:
    def __init__(self, browser: Browser, session: str, target: str):
        self.b, self.s, self.target = browser, session, target
        self.send("Page.enable")
        self.send("Emulation.setFocusEmulationEnabled", {"enabled": True})

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        return self.b.send(method, params, self.s, timeout)

    def size(self, width: int, height: int, scale: float = 1, mobile: bool = False) -> None:
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})

    def open(self, path: Path) -> None:
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.b.wait_event("Page.loadEventFired", self.s)
        assert self.js("document.documentElement.getAttribute('data-ready')") == "1", "the report's script did not run"

    def js(self, expression: str) -> Any:
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"script error: {r['exceptionDetails']}")
        return r["result"].get("value")

    def key(self, key: str, code: int) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code})

    def mouse(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, path: Path, full: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full:
            w, h = self.js("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": w, "height": min(h, 8000), "scale": 1})
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params, timeout=60)["data"]))
        assert path.stat().st_size > 10_000, f"{path}: suspiciously small screenshot"
        return path


# --- fixtures -------------------------------------------------------------------------

def coopfacts(*args: str) -> subprocess.CompletedProcess:
    """The real command line, run from the repository (document ids: samples/...)."""
    return subprocess.run([sys.executable, "-m", "coopfacts", *args], cwd=REPO, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    b = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))  # type: ignore[arg-type]
    try:
        b.send("Browser.getVersion", timeout=60)
    except Exception:
        b.close()
        raise
    yield b
    b.close()


@pytest.fixture
def page(browser: Browser):
    p = browser.page()
    p.size(1280, 2000)
    yield p
    with contextlib.suppress(Exception):
        browser.send("Target.closeTarget", {"targetId": p.target})


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get("COOPFACTS_SCREENSHOTS")
    if named:
        Path(named).mkdir(parents=True, exist_ok=True)
        return Path(named)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[dict]]]:
    """Per language: the report of its samples (a batch: 2 documents) and the JSON Lines records."""
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for lang in LANGS:
        inputs = sorted(str(p.relative_to(REPO)) for p in (REPO / "samples").glob(f"{lang}-*.txt"))
        report = out / f"{lang}.html"
        html_run = coopfacts("extract", *inputs, "--format", "html", "-o", str(report), "-q")
        json_run = coopfacts("extract", *inputs, "--format", "jsonl", "-q")
        assert html_run.returncode == 0, html_run.stderr.decode()
        assert json_run.returncode == 0, json_run.stderr.decode()
        made[lang] = (report, jsonl(json_run.stdout.decode("utf-8")))
    return made


DOM = """(() => [...document.querySelectorAll('section.doc')].map(s => {
  const art = s.querySelector('article.text');
  return {
    id: s.querySelector('h2').textContent, dir: art.getAttribute('dir'), lang: art.getAttribute('lang'),
    paras: [...art.querySelectorAll('p')].map(p => p.getAttribute('dir')),
    marks: [...art.querySelectorAll('mark.claim')].map(m => ({
      start: +m.dataset.start, end: +m.dataset.end, text: m.textContent, id: m.id,
      href: m.querySelector('a').getAttribute('href')})),
    rows: [...s.querySelectorAll('table.claims tbody tr')].map(r => ({
      id: r.id, href: (r.querySelector('a[href^="#c"]') || {}).getAttribute?.('href') || null})),
    allMarks: document.querySelectorAll('mark').length,
  };
}))()"""


# --- the checks ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_claim_highlighted_once(page: Page, reports, shots: Path, lang: str) -> None:
    report, records = reports[lang]
    page.open(report)
    docs = page.js(DOM)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_doc[r["doc"]].append(r)
    assert [d["id"] for d in docs] == list(by_doc), "one section per document, in input order"
    assert page.js("document.querySelectorAll('nav.toc li').length") == len(docs)  # a batch has a table of contents
    assert sum(len(d["marks"]) for d in docs) == len(records) == docs[0]["allMarks"]
    for d in docs:
        assert d["dir"] == DIRECTION[lang] and d["lang"] == lang
        assert d["paras"] and set(d["paras"]) == {DIRECTION[lang]}, d["paras"]
        claims = by_doc[d["id"]]
        spans = [(m["start"], m["end"]) for m in d["marks"]]
        assert sorted(spans) == sorted((c["start"], c["end"]) for c in claims)
        assert len(set(spans)) == len(spans), "a claim highlighted twice"
        text = {(c["start"], c["end"]): c["text"] for c in claims}
        for m in d["marks"]:
            assert m["text"] == text[m["start"], m["end"]], m  # digits and all, exactly as written
        assert len(d["rows"]) == len(claims), "one table row per claim"
        mark_ids = {m["id"] for m in d["marks"]}
        row_ids = {r["id"] for r in d["rows"]}
        assert {r["href"][1:] for r in d["rows"]} == mark_ids  # rows link to the highlights...
        assert {m["href"][1:] for m in d["marks"]} == row_ids  # ...and back
    page.screenshot(shots / f"report-{lang}.png")


@pytest.mark.parametrize("lang", LANGS)
def test_focus_and_hover_show_details(page: Page, reports, lang: str) -> None:
    report, records = reports[lang]
    page.open(report)
    # Keyboard: Tab from the start of the page reaches the first highlight after the skip links.
    for _ in range(40):
        page.key("Tab", 9)
        if page.js("!!document.activeElement.closest('mark.claim')"):
            break
    else:
        pytest.fail("Tab never reached a highlighted claim")
    state = page.js("""(() => { const a = document.activeElement, m = a.closest('mark.claim'), t = document.getElementById('tip');
      const st = getComputedStyle(a); const r = t.getBoundingClientRect();
      return {start: +m.dataset.start, tip: t.hidden ? null : t.innerText, w: r.width, h: r.height,
              outline: st.outlineStyle, outlineWidth: parseFloat(st.outlineWidth),
              described: document.getElementById(a.getAttribute('aria-describedby')).textContent}; })()""")
    first = min((r for r in records if r["doc"] == records[0]["doc"]), key=lambda r: r["start"])
    assert state["start"] == first["start"]
    assert state["tip"] and state["w"] > 50 and state["h"] > 30, "focus shows the details"
    assert state["outline"] != "none" and state["outlineWidth"] >= 2, "focus is visible"
    for word in (first["kind"], first["rule"], "Qualifier"):
        assert word in state["tip"] and word in state["described"]
    page.key("Escape", 27)
    assert page.js("document.getElementById('tip').hidden")

    # Hover: the first claim with a large number; its value grouped for the reader and in the document's digits.
    big = next(r for r in records if isinstance(r["value"], (int, float)) and r["value"] >= 100000)
    box = page.js(f"""(() => {{
      const sec = [...document.querySelectorAll('section.doc')].find(s => s.querySelector('h2').textContent === {json.dumps(big['doc'])});
      const a = sec.querySelector('mark.claim[data-start="{big['start']}"] a');
      a.scrollIntoView({{block: 'center'}}); const r = a.getClientRects()[0];  // a highlight may wrap: its first line
      return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
    assert box, "the highlight of a large value"
    page.mouse(box[0] - 1, box[1] - 1)
    page.mouse(*box)
    tip = page.js("""(() => { const t = document.getElementById('tip');
      return t.hidden ? null : {text: t.innerText, own: t.querySelector('.val.own').textContent,
                                reader: t.querySelector('.val:not(.own)').textContent}; })()""")
    assert tip and big["rule"] in tip["text"], "hover shows the details"
    raw = str(int(big["value"])) if float(big["value"]).is_integer() else str(big["value"])
    assert len(tip["reader"]) > len(raw), f"grouped in the reader's locale: {tip['reader']!r}"
    digits = [c for c in tip["own"] if c.isdigit()]
    assert digits and all(c in OWN_DIGITS[lang] for c in digits), f"document digits: {tip['own']!r}"


def test_table_sorts_and_links(page: Page, reports) -> None:
    report, records = reports["fr"]
    page.open(report)
    sort_values = """[...document.querySelector('#tab1 tbody').rows].map(r => r.cells[3].dataset.sort)"""
    page.js("document.querySelector('#tab1 thead th:nth-child(4) button').click()")
    values = page.js(sort_values)
    numbers = [float(v) for v in values if v and v.replace(".", "", 1).lstrip("-").isdigit()]
    assert numbers == sorted(numbers) and numbers, values
    assert page.js("document.querySelector('#tab1 thead th:nth-child(4)').getAttribute('aria-sort')") == "ascending"
    page.js("document.querySelector('#tab1 thead th:nth-child(4) button').click()")
    numbers = [float(v) for v in page.js(sort_values) if v and v.replace(".", "", 1).lstrip("-").isdigit()]
    assert numbers == sorted(numbers, reverse=True)
    # A row's link leads to its highlight and focuses it (which shows its details); the highlight leads back.
    page.js("document.querySelector('#tab1 tbody tr a[href^=\"#c\"]').click()")
    time.sleep(0.2)
    got = page.js("""(() => ({hash: location.hash, active: document.activeElement.closest('mark.claim')?.id,
        tip: !document.getElementById('tip').hidden}))()""")
    assert got["hash"] == "#" + got["active"] and got["tip"], got
    page.js("document.activeElement.click()")
    time.sleep(0.2)
    assert page.js("location.hash") == "#r" + got["active"][1:]
    assert page.js("document.activeElement.closest('tr')?.id") == "r" + got["active"][1:]


@pytest.mark.parametrize("lang", LANGS)
def test_phone_width_and_zoom(page: Page, reports, shots: Path, lang: str) -> None:
    report, _ = reports[lang]
    page.size(375, 800, scale=2, mobile=True)
    page.open(report)
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.js(overflow) <= 0, "no horizontal scrolling at 375px"
    page.screenshot(shots / f"report-{lang}-375px.png")
    page.size(640, 1000, scale=2)  # a 1280px window at 200% zoom
    page.open(report)
    assert page.js(overflow) <= 0, "no horizontal scrolling at 200% zoom"
    page.screenshot(shots / f"report-{lang}-zoom200.png", full=False)


CONTRAST = """(() => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(x => { x = x / 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bg = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
      if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const els = [...document.querySelectorAll('mark.claim a, .chip, .vchip, .legend li, .meta, .summary, .hint, th button, td, a')];
  return els.map(e => ({t: e.textContent.slice(0, 30), r: ratio(getComputedStyle(e).color, bg(e))}))
            .filter(x => x.r < 4.5);
})()"""


def test_contrast(page: Page, reports) -> None:
    page.open(reports["fa"][0])
    assert page.js(CONTRAST) == [], "text below a 4.5:1 contrast ratio"


def test_print(page: Page, reports, shots: Path) -> None:
    page.open(reports["ar"][0])
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    got = page.js("""(() => ({tip: getComputedStyle(document.getElementById('tip')).display,
        side: getComputedStyle(document.querySelector('.side')).position,
        number: getComputedStyle(document.querySelector('mark.claim'), '::before').content}))()""")
    assert got == {"tip": "none", "side": "static", "number": '"1"'}  # printed highlights carry their row number
    pdf = base64.b64decode(page.send("Page.printToPDF", {"printBackground": True}, timeout=60)["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (shots / "report-ar.pdf").write_bytes(pdf)


def test_verdict_marks(page: Page, reports, tmp_path: Path, shots: Path) -> None:
    from coopfacts.outputs import render_html

    _, records = reports["fr"]
    doc = records[0]["doc"]
    text = (REPO / doc).read_text(encoding="utf-8")
    mine = [r for r in records if r["doc"] == doc]
    verdicts = {(doc, r["start"], r["end"]): {"verdict": v, "reason": f"reason {i}"}
                for i, (r, v) in enumerate(zip(mine, ("supported", "contradicted", "unverified")))}
    path = tmp_path / "verdicts.html"
    path.write_text(render_html([{"id": doc, "lang": "fr", "text": text, "claims": mine}], verdicts), encoding="utf-8")
    page.open(path)
    got = page.js("""[...document.querySelectorAll('mark.claim')].slice(0, 4).map(m => ({
        cls: m.className, badge: getComputedStyle(m, '::after').content, text: m.textContent,
        row: document.getElementById('r' + m.id.slice(1)).cells[2].innerText}))""")
    assert [g["badge"] for g in got] == ['"✓" / ""', '"✗" / ""', '"?" / ""', "none"]  # a mark, not only a colour
    assert page.js("document.querySelector('#tab1 thead th:nth-child(3)').textContent") == "Verdict"
    for g, r, v in zip(got, mine, ("supported", "contradicted", "unverified")):
        assert f"v-{v}" in g["cls"] and g["text"] == r["text"] and v in g["row"] and "reason" in g["row"]
    page.screenshot(shots / "report-fr-verdicts.png", full=False)


def test_check_report(page: Page, tmp_path: Path, shots: Path) -> None:
    """``coopfacts check --format html``: the verdicts of the findings on the highlights."""
    inputs = ["samples/fr-1.txt", "samples/fr-2.txt"]
    report = tmp_path / "check.html"
    run = coopfacts("check", *inputs, "--against", "samples/reference/fr-1.csv", "-o", str(report), "-q")
    assert run.returncode in (0, 3), run.stderr.decode()
    findings = jsonl(coopfacts("check", *inputs, "--against", "samples/reference/fr-1.csv", "--format", "jsonl",
                               "-q").stdout.decode("utf-8"))
    claims = jsonl(coopfacts("extract", *inputs, "--format", "jsonl", "-q").stdout.decode("utf-8"))
    page.open(report)
    marks = page.js("""[...document.querySelectorAll('section.doc')].flatMap(s => [...s.querySelectorAll('mark.claim')].map(m => ({
        doc: s.querySelector('h2').textContent, start: +m.dataset.start, end: +m.dataset.end, text: m.textContent,
        badge: getComputedStyle(m, '::after').content})))""")
    assert sorted((m["doc"], m["start"], m["text"]) for m in marks) == sorted((c["doc"], c["start"], c["text"]) for c in claims)
    judged = {(s["doc"], s["start"], s["end"]) for f in findings for s in f["spans"]}
    contradicted = {(s["doc"], s["start"], s["end"]) for f in findings if f["verdict"] == "contradicted" for s in f["spans"]}
    for m in marks:
        key = (m["doc"], m["start"], m["end"])
        assert (m["badge"] != "none") == (key in judged), m
        if key in contradicted:
            assert m["badge"] == '"✗" / ""', m
    page.screenshot(shots / "report-fr-check.png", full=False)
