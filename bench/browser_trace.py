"""Where a list page's first and repeat visit go in Chromium: a devtools.timeline trace of
each visit of fasthx_ui's and peers' (a) page, summed by main-thread activity up to the
20th row (parse HTML, style, layout, paint, script evaluation and compilation, CSS
parsing; each style and layout pass of 1 ms or more), the network requests with their start and end, which were render-blocking, and
the first frame and first contentful paint.

    .venvs/driver/bin/python browser_trace.py [--apps fasthx_ui,fasthx_admin] [--scenario a]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.browser import ARGS, CHROMIUM, ROW_WATCH, fresh_context, visit
from harness.servers import FRAMEWORKS, start_all

KINDS = {"ParseHTML": "parse HTML", "UpdateLayoutTree": "style", "Layout": "layout", "Paint": "paint",
         "PrePaint": "paint", "EvaluateScript": "script", "v8.compile": "script compile",
         "FunctionCall": "script", "TimerFire": "script", "EventDispatch": "script",
         "ParseAuthorStyleSheet": "parse CSS", "v8.produceCache": "script compile", "Layerize": "paint"}


def summary(events: list[dict], row20_ms: float) -> dict:
    """Main-thread milliseconds by kind up to row 20, requests, first paint (ms from navigation)."""
    nav = next(e["ts"] for e in events if e["name"] == "navigationStart")
    main = next((e["tid"] for e in events if e["name"] == "ParseHTML"), None)
    end = nav + row20_ms * 1000
    spent = defaultdict(float)
    for e in events:
        kind = KINDS.get(e["name"])
        if kind and e.get("ph") == "X" and e["tid"] == main and nav <= e["ts"] <= end:
            spent[kind] += e.get("dur", 0) / 1000
    requests = {}
    for e in events:
        data = e.get("args", {}).get("data", {})
        if e["name"] == "ResourceSendRequest":
            if not data["url"].startswith("http://127.0.0.1"):
                continue  # the browser's own pages (new tab) load in the same trace
            requests[data["requestId"]] = {"url": data["url"].split("/", 3)[-1][:60], "start": (e["ts"] - nav) / 1000,
                                           "blocking": data.get("renderBlocking", "")}
        elif e["name"] == "ResourceFinish" and data.get("requestId") in requests:
            requests[data["requestId"]]["end"] = (e["ts"] - nav) / 1000
            requests[data["requestId"]]["kb"] = round(data.get("encodedDataLength", 0) / 1024, 1)
    passes = [(round((e["ts"] - nav) / 1000), round(e["dur"] / 1000, 1), e.get("args", {}).get("elementCount"))
              for e in events if e["name"] in ("UpdateLayoutTree", "Layout") and e.get("ph") == "X" and e["tid"] == main
              and nav <= e["ts"] <= end and e.get("dur", 0) >= 1000]
    paints = {e["name"]: (e["ts"] - nav) / 1000 for e in events if e["name"] in ("firstPaint", "firstContentfulPaint")}
    return {"row20_ms": row20_ms, "main_thread_ms": {k: round(v, 1) for k, v in sorted(spent.items())},
            "paints": paints, "passes": passes, "requests": list(requests.values())}


def traced(browser, page, url: str, path: Path) -> dict:
    browser.start_tracing(page=page, path=str(path), categories=[
        "devtools.timeline", "blink.user_timing", "loading", "v8.execute", "disabled-by-default-devtools.timeline"])
    found = visit(page, url)
    browser.stop_tracing()
    events = json.loads(path.read_text())["traceEvents"]
    return summary(events, found["row20_ms"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", default="fasthx_ui,fasthx_admin")
    parser.add_argument("--scenario", default="a")
    args = parser.parse_args()
    search = json.loads((Path(__file__).parent / "data" / "meta.json").read_text())["search"]
    frameworks = [f for f in FRAMEWORKS if f.name in args.apps.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-trace-") as tmp:
        servers = start_all(frameworks, "sqlite", Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                for server in servers:
                    url = server.base + server.framework.url(args.scenario, search)
                    warm = browser.new_context()
                    warm.new_page().goto(url)  # the server's first request of each file is not the subject
                    warm.close()
                    context = fresh_context(browser)
                    context.add_init_script(ROW_WATCH)
                    page = context.new_page()
                    for kind in ("first", "repeat"):
                        result = traced(browser, page, url, Path(tmp) / f"{server.framework.name}-{kind}.json")
                        print(f"== {server.framework.name} ({args.scenario}) {kind}: row 20 {result['row20_ms']:.0f} ms, "
                              f"paints {result['paints']}\n   main thread ms {result['main_thread_ms']}\n"
                              f"   style/layout passes ≥ 1 ms (start, ms, elements): {result['passes']}")
                        for r in result["requests"]:
                            print(f"   {r['start']:6.0f}–{r.get('end', 0):6.0f} ms {r.get('kb', 0):6.1f} KB "
                                  f"{r['blocking'] or '-':24} {r['url']}")
                    context.close()
                browser.close()
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    main()
