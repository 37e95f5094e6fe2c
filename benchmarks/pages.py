"""Page figures: each page's server time on the bundled report (p50 and p99 of
sequential requests over one kept-alive loopback connection, after a first request
that lays a view out for the store's generation), and for the network views the time
from navigation until the view is drawn, laid out and fitted in headless Chromium."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

from .http import HttpClient
from .servers import kg_service

#: The pages measured: every kind of page the service shows people.
PAGES = ("/", "/viz/sco", "/viz/brics", "/viz/met", "/viz/person/sergey-lavrov", "/viz/person/wang-yi?depth=2",
         "/viz/organization/un", "/viz/sco?show=organization&show=country&show=person&show=event",
         "/person/sergey-lavrov", "/person/wang-yi", "/organization/sco", "/timeline",
         "/timeline?person=sergey-lavrov", "/event/{event}")
#: The views timed in the browser.
VIEWS = ("/viz/sco", "/viz/brics", "/viz/person/sergey-lavrov", "/viz/met")
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")


def _chromium() -> str | None:
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which(CHROMIUM)


def _ms(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))] * 1000, 2)


def pages_table(store: str, *, runs: int = 40, browser_runs: int = 5) -> dict:
    """Server p50/p99 of each page; browser median and worst of each view."""
    from graph.analyses.events import find_events
    from graph.stores.oxigraph import OxigraphStore

    st = OxigraphStore(store, create=False)
    event = find_events(st, type="CONSULT")[0].id
    st.close()
    paths = [p.replace("{event}", event) for p in PAGES]
    rows, views = [], []
    with kg_service(store, first="/viz/sco") as svc:
        client = HttpClient(svc.url)
        for path in paths:
            status, _ = client.get(path, accept="text/html")
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                client.get(path, accept="text/html")
                times.append(time.perf_counter() - t)
            rows.append({"page": path, "p50_ms": _ms(times, 0.5), "p99_ms": _ms(times, 0.99)})
        client.close()
        chromium = _chromium()
        if chromium:
            views = _browser(svc.url, chromium, browser_runs)
    return {"rows": rows, "browser": views, "browser_missing": None if chromium else CHROMIUM}


def _browser(base: str, chromium: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1280, "height": 800})
        for path in VIEWS:
            page.goto(base + path)
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                page.goto(base + path)
                page.wait_for_function("window.kgViz && window.kgViz.ready", timeout=30_000)
                times.append(time.perf_counter() - t)
            outside = page.evaluate("""() => { const net = window.network, v = document.getElementById('kg-network');
                let n = 0; for (const id of net.body.nodeIndices) { const d = net.body.nodes[id];
                const a = net.canvasToDOM({x: d.x, y: d.y}); if (a.x < 0 || a.y < 0 || a.x > v.clientWidth ||
                a.y > v.clientHeight) n++; } return n; }""")
            out.append({"view": path, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
                        "outside": outside})
        b.close()
    return out


def format_pages(table: dict) -> str:
    lines = [f"{'page':<58} {'p50 ms':>8} {'p99 ms':>8}"]
    for r in table["rows"]:
        lines.append(f"{r['page']:<58} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}")
    if table["browser"]:
        lines.append(f"\n{'view in headless Chromium, navigation to drawn and fitted':<58} {'median s':>8} "
                     f"{'max s':>8}")
        for r in table["browser"]:
            lines.append(f"{r['view']:<58} {r['median_s']:>8.3f} {r['max_s']:>8.3f}"
                         + (f"  ({r['outside']} nodes outside!)" if r["outside"] else ""))
    else:
        lines.append(f"(no Chromium at {table['browser_missing']}: browser times not measured)")
    return "\n".join(lines)
