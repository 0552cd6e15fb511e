"""Benchmark search in both engines (Debian's Chromium through Playwright,
Debian's Firefox ESR through puppeteer-core), on nginx with the generated
configuration (gzip, cache headers, CSP):

- input to results: the time from the input event that puts a query in the
  box (text inserted with no key events, as a paste does:
  tests/browser/search_probe.js) to the rendered results, median and 95th
  percentile over both query sets, once the index is loaded;
- the first search on a freshly opened page with an empty cache, from the
  click into the box to the first results, on a throttled "slow 4G"
  connection (Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s
  down, 750 kbit/s up). Both engines go through the same throttling proxy
  (ThrottledProxy below), so their figures compare; Chromium is also timed
  under its own DevTools emulation of the profile;
- what a page costs before a reader shows intent to search: bytes
  transferred in all, and for search (worker, index, language files),
  which must be none.

Run: ``make bench-search`` (builds the site first). Writes
reports/search-bench.json and reports/search-bench.md. Not a test: the
figures depend on the machine, so they are recorded, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from explainer import ROOT
from explainer.data import loading
from explainer.engine.build import mkdocs_build
from harness.servers import CHROMIUM, CHROMIUM_ARGS, Nginx, free_port, nginx_binary

FIXTURES = ROOT / "tests" / "fixtures"
QUERY_FILES = ("search-queries.yml", "search-queries-heldout.yml")
PROBE = (ROOT / "tests" / "browser" / "search_probe.js").read_text(encoding="utf-8")
FIREFOX_RUNNER = ROOT / "tests" / "browser" / "firefox.mjs"
FIREFOX = "/usr/bin/firefox-esr"
REPORTS = ROOT / "reports"
SEARCH_PARTS = ("search/search_index.json", "/lunr/", "/workers/search.")

# Lighthouse's mobile throttling ("slow 4G").
RTT_S = 0.150
DOWN_BPS = 1.6e6 / 8
UP_BPS = 7.5e5 / 8
SLOW_4G_CDP = {"offline": False, "latency": RTT_S * 1000, "downloadThroughput": DOWN_BPS,
               "uploadThroughput": UP_BPS}


class ThrottledProxy:
    """A TCP proxy in front of nginx that adds half the round trip to each
    direction and shares the down- and upstream bandwidth between all
    connections, as one slow mobile link would; any browser can use it."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self._free = {"down": 0.0, "up": 0.0}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _pipe(self, reader, writer, direction: str, rate: float):
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while True:
                due, chunk = await queue.get()
                if chunk is None:
                    break
                now = self._loop.time()
                start = max(due, self._free[direction], now)
                self._free[direction] = start + len(chunk) / rate
                await asyncio.sleep(self._free[direction] - now)
                writer.write(chunk)
                await writer.drain()
            writer.close()

        task = asyncio.ensure_future(deliver())
        try:
            while chunk := await reader.read(16384):
                queue.put_nowait((self._loop.time() + RTT_S / 2, chunk))
        except ConnectionError:
            pass
        queue.put_nowait((0, None))
        await task

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer, "up", UP_BPS),
                             self._pipe(up_reader, writer, "down", DOWN_BPS), return_exceptions=True)

    def url(self, path: str) -> str:
        return self.origin + path

    def close(self):
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def load_queries() -> list[str]:
    return [str(q["query"]) for name in QUERY_FILES for q in loading.load_yaml(FIXTURES / name)["queries"]]


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 1),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max": round(ordered[-1], 1), "samples": len(ordered)}


def chromium_bench(nginx: Nginx, proxy: ThrottledProxy, queries: list[str], rounds: int, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        out["version"] = browser.version
        # Bytes before intent: a page read, nothing searched.
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        responses = []
        page.on("requestfinished", lambda r: responses.append(r))
        page.goto(nginx.url("/focus-group/"), wait_until="networkidle")
        page.wait_for_timeout(1000)
        sizes = [(r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]) for r in responses]
        out["before_intent"] = {"requests": len(sizes), "bytes": sum(s for _, s in sizes),
                                "search_requests": [u for u, _ in sizes if any(p in u for p in SEARCH_PARTS)]}
        # Input to results, once loaded.
        page.locator("input.md-search__input").click()
        timings = []
        for _ in range(rounds):
            timings += [r["ms"] for r in page.evaluate(PROBE, queries) if r["ms"] >= 0]
        out["input_to_results_ms"] = summary(timings)
        ctx.close()
        # First search, slow 4G: through the proxy, and under DevTools emulation.
        for label, origin, cdp in (("slow_4g_proxy", proxy, False), ("slow_4g_devtools", nginx, True)):
            times = []
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                if cdp:
                    session = ctx.new_cdp_session(page)
                    session.send("Network.enable")
                    session.send("Network.emulateNetworkConditions", SLOW_4G_CDP)
                page.goto(origin.url("/focus-group/"), wait_until="networkidle")
                start = time.perf_counter()
                page.locator("input.md-search__input").click()
                page.evaluate(PROBE, ["ruble"])
                page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
                times.append((time.perf_counter() - start) * 1000)
                ctx.close()
            out[f"first_search_{label}_ms"] = summary(times)
        browser.close()
    return out


def firefox_bench(nginx: Nginx, proxy: ThrottledProxy, queries: list[str], rounds: int, runs: int) -> dict:
    def run(job: dict) -> dict:
        result = subprocess.run(["node", str(FIREFOX_RUNNER)], input=json.dumps({"executable": FIREFOX, **job}),
                                capture_output=True, text=True, timeout=1800, cwd=ROOT)
        if result.returncode:
            raise SystemExit(f"bench-search: firefox.mjs failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout)

    loaded = run({"origin": nginx.url("/"), "probe": PROBE,
                  "queries": {f"round {i}": queries for i in range(rounds)}})
    timings = [r["ms"] for results in loaded["queries"].values() for r in results if r["ms"] >= 0]
    slow = run({"origin": proxy.url("/"), "probe": PROBE, "firstSearch": runs})
    return {"version": loaded["version"], "input_to_results_ms": summary(timings),
            "first_search_slow_4g_proxy_ms": summary(slow["firstSearchMs"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the query sets per engine")
    parser.add_argument("--runs", type=int, default=5, help="first searches per engine and network")
    args = parser.parse_args(argv)
    binary = nginx_binary()
    if not binary:
        raise SystemExit("bench-search: nginx not found (make system-deps)")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = mkdocs_build(ROOT, site, check=False, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
        if result.returncode:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        index = (site / "search" / "search_index.json").read_bytes()
        worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).read_bytes()
        queries = load_queries()
        (Path(tmp) / "nginx").mkdir()
        nginx = Nginx(binary, site, Path(tmp) / "nginx", port)
        proxy = ThrottledProxy(port)
        try:
            chromium = chromium_bench(nginx, proxy, queries, args.rounds, args.runs)
            firefox = firefox_bench(nginx, proxy, queries, args.rounds, args.runs)
        finally:
            proxy.close()
            nginx.close()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    report = {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": load,
        "queries": len(queries),
        "chromium": chromium,
        "firefox": firefox,
        "index_bytes": {"raw": len(index), "gzip": len(gzip.compress(index, 6))},
        "worker_bytes_gzip": len(gzip.compress(worker, 6)),
        "index_documents": len(json.loads(index)["docs"]),
    }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "search-bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    c, f = chromium, firefox

    def row(label: str, key: str) -> str:
        cells = [f"{e[key]['median']} ms / {e[key]['p95']} ms" if key in e else "n/a" for e in (c, f)]
        return f"| {label} | {cells[0]} | {cells[1]} |\n"

    md = (
        "# Search benchmark\n\n"
        f"Measured {report['measured']} by `make bench-search` on nginx with the generated configuration, "
        f"{report['queries']} queries (both sets in tests/fixtures/) x {args.rounds} rounds, "
        f"{args.runs} first searches per network. Machine load average {' '.join(load)} "
        "(shared, 2 cores): figures are for comparison, not a promise.\n\n"
        f"| Measure (median / 95th percentile) | {c['version']} | {f['version']} |\n| --- | --- | --- |\n"
        + row("Last input event to rendered results, index loaded", "input_to_results_ms")
        + row("First search, click to results, slow 4G (throttling proxy)", "first_search_slow_4g_proxy_ms")
        + row("First search, click to results, slow 4G (DevTools emulation)", "first_search_slow_4g_devtools_ms")
        + "\n| Before a reader shows intent to search | |\n| --- | --- |\n"
        f"| Requests, bytes transferred (Chromium, /focus-group/) | {c['before_intent']['requests']}, "
        f"{c['before_intent']['bytes']:,} bytes |\n"
        f"| Of which for search (worker, index, language files) | "
        f"{len(c['before_intent']['search_requests'])} {c['before_intent']['search_requests'] or ''} |\n"
        f"| Search index, raw / gzip | {report['index_bytes']['raw']:,} / {report['index_bytes']['gzip']:,} bytes |\n"
        f"| Search worker, gzip (loaded on intent) | {report['worker_bytes_gzip']:,} bytes |\n"
        f"| Indexed sections | {report['index_documents']} |\n"
    )
    (REPORTS / "search-bench.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
