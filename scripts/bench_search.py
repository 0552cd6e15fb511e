"""Benchmark search in a real Chromium: time from the last keystroke to
rendered results, the size of the search index (raw and gzip), and what the
first search on a page costs now that the index is fetched on demand
(docs/javascripts/search-on-demand.js): from the click into the search box
to the first results, on loopback and over a throttled mobile connection.

Run: ``make bench-search`` (builds the site first). Writes
reports/search-bench.json and reports/search-bench.md. Not a test: the
figures depend on the machine, so they are recorded, not asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from explainer.data import files as sd  # noqa: E402
from explainer.build import mkdocs_build  # noqa: E402
from explainer.serve import CHROMIUM, CHROMIUM_ARGS, Nginx, Server, free_port, nginx_binary  # noqa: E402

QUERY_FILE = sd.ROOT / "tests" / "fixtures" / "search-queries.yml"
REPORTS = sd.ROOT / "reports"

# Resolves with milliseconds from the last key event to a changed result list.
MEASURE_JS = """
async ([query]) => {
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  input.focus();
  input.value = "";
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await new Promise(r => setTimeout(r, 150));
  const before = list.innerHTML;
  let t0 = 0;
  const done = new Promise(resolve => {
    const obs = new MutationObserver(() => {
      if (t0 && list.innerHTML !== before && list.children.length) {
        obs.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }
    });
    obs.observe(list, {childList: true, subtree: true});
    setTimeout(() => { obs.disconnect(); resolve(-1); }, 5000);
  });
  for (const ch of query) {
    input.value += ch;
    t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent("keydown", {key: ch, bubbles: true}));
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent("keyup", {key: ch, bubbles: true}));
  }
  return await done;
}
"""


def load_queries() -> list[str]:
    data = sd.load_yaml(QUERY_FILE)
    return [str(q["query"]) for q in data["queries"]]


def measure(site: Path, port: int, queries: list[str], rounds: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    server = Server(site, port)
    timings: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url("/"), wait_until="networkidle")
            page.locator("input.md-search__input").click()
            # Wait until the worker has loaded the index.
            page.locator("input.md-search__input").press_sequentially("ruble", delay=10)
            page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
            for _ in range(rounds):
                for query in queries:
                    ms = page.evaluate(MEASURE_JS, [query])
                    if ms >= 0:
                        timings.append(ms)
            browser.close()
    finally:
        server.close()
    return timings


# Lighthouse's mobile throttling ("slow 4G"): 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 7.5e5 / 8}


def measure_first_search(site: Path, port: int, runs: int, network: dict | None) -> list[float]:
    """Milliseconds from the click into the search box of a freshly loaded
    page (empty cache) to the first rendered results for "ruble". Served
    with gzip, as any real host serves the index."""
    from playwright.sync_api import sync_playwright

    binary = nginx_binary()
    if not binary:
        raise SystemExit("bench-search: nginx not found (make system-deps)")
    work = Path(tempfile.mkdtemp(prefix="bench-search-nginx-"))
    server = Nginx(binary, site, work, port)
    timings: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                if network:
                    cdp = ctx.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", network)
                page.goto(f"{server.origin}/focus-group/", wait_until="networkidle")
                start = time.perf_counter()
                page.locator("input.md-search__input").click()
                page.locator("input.md-search__input").press_sequentially("ruble", delay=10)
                page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
                timings.append((time.perf_counter() - start) * 1000)
                ctx.close()
            browser.close()
    finally:
        server.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = mkdocs_build(sd.ROOT, site, check=False, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
        if result.returncode:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        index = (site / "search" / "search_index.json").read_bytes()
        queries = load_queries()
        timings = measure(site, port, queries, args.rounds)
        first_local = measure_first_search(site, port, 5, None)
        first_slow = measure_first_search(site, port, 5, SLOW_4G)
    report = {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip(),
        "queries": len(queries),
        "samples": len(timings),
        "keystroke_to_results_ms": {
            "median": round(statistics.median(timings), 1),
            "p95": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 1),
            "max": round(max(timings), 1),
        },
        "first_search_ms": {
            "loopback_median": round(statistics.median(first_local)),
            "slow_4g_median": round(statistics.median(first_slow)),
            "runs": len(first_local),
        },
        "index_bytes": {"raw": len(index), "gzip": len(gzip.compress(index, 9))},
        "index_documents": len(json.loads(index)["docs"]),
    }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "search-bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    t = report["keystroke_to_results_ms"]
    md = (
        "# Search benchmark\n\n"
        f"Measured {report['measured']} with {report['chromium']}, {report['queries']} queries from "
        f"`tests/search-queries.yml`, {report['samples']} samples, by `make bench-search`.\n\n"
        "| Measure | Value |\n| --- | --- |\n"
        f"| Last keystroke to rendered results, median | {t['median']} ms |\n"
        f"| Last keystroke to rendered results, 95th percentile | {t['p95']} ms |\n"
        f"| Last keystroke to rendered results, maximum | {t['max']} ms |\n"
        f"| First search on a page: click into the box, type \"ruble\", results shown (index fetched on "
        f"demand), median of {report['first_search_ms']['runs']}, loopback with gzip | "
        f"{report['first_search_ms']['loopback_median']} ms |\n"
        f"| The same over a throttled mobile connection (150 ms round trip, 1.6 Mbit/s) | "
        f"{report['first_search_ms']['slow_4g_median']} ms |\n"
        f"| Search index, raw | {report['index_bytes']['raw']:,} bytes |\n"
        f"| Search index, gzip | {report['index_bytes']['gzip']:,} bytes |\n"
        f"| Indexed sections | {report['index_documents']} |\n"
    )
    (REPORTS / "search-bench.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
