"""``make bench``: this site against stock Material, built from the same docs/.

1. Builds this site the way ``make build`` does (content checks, strict build
   with link and anchor checks, security headers), and a stock Material site
   from a generated config: ``theme: {name: material}`` and nothing else of
   the theme, the same nav, the default search plugin, no overrides, no extra
   CSS or JavaScript, no plugins beyond search. The pages cite with named
   footnotes whose text comes from data/sources.yml, and several pages are
   rendered from data/, so the stock build keeps the content pieces the
   pages need to say the same thing: the same Markdown extensions and the
   content hooks (CONTENT_HOOKS: figures, citations, "In short" boxes,
   reference pages). Each build is timed several times; the median counts.
2. Serves both folders on loopback with gzip (level 6) from a small
   standard-library server.
3. Runs Lighthouse 12 (npm, pinned in package.json) with Debian's Chromium,
   mobile form factor (the default), on every page of both builds, and reads
   from its report the four category scores, the main metrics, the first-view
   transfer size (all requests) and the request count.
4. Writes reports/bench.md and reports/bench.json and prints the summary.

Options: ``--pages /,/about/`` limits the pages, ``--build-runs N`` sets the
timing runs, ``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import mimetypes
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from explainer.postbuild import headers as security_headers  # noqa: E402

REPORTS = ROOT / "reports"
PROJECT = ROOT  # --project: another checkout or a copy of this one
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run " \
               "--disable-background-networking --disable-component-update --disable-sync --disable-extensions"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
METRIC_LABELS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
                 "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "speed-index": "SI"}
TARGETS = {"score": 100, "bytes_ratio": 0.75, "requests": 10, "build_ratio": 1.5}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


# --------------------------------------------------------------------------
# Builds
# --------------------------------------------------------------------------
class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; !ENV [NAME, default] becomes the default."""


def _env_tag(loader, suffix, node):
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if items else None
    return loader.construct_scalar(node)


_AnyTagLoader.add_multi_constructor("!", _env_tag)


# The hooks that write page content, in mkdocs.yml's order: figure includes,
# citations and "In short" boxes, and the reference pages (sources, timeline,
# glossary, key facts, claims) rendered from data/. Without them the stock
# pages would be shorter than ours and the comparison unfair to this site.
CONTENT_HOOKS = ("draw_hooks.py", "hooks.py", "hooks_reference.py")


def stock_config(dest: Path, site_url: str) -> Path:
    """A stock Material config for the same docs/: theme name only."""
    ours = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506
    config = {
        "site_name": ours["site_name"],
        "site_url": site_url,
        "docs_dir": str(PROJECT / "docs"),
        "theme": {"name": "material"},
        "nav": ours.get("nav"),
        # Content rendering only: the pages need these to show what they say.
        "markdown_extensions": ours.get("markdown_extensions", []),
        "extra": {"horizon": (ours.get("extra") or {}).get("horizon")},
        "hooks": [str(PROJECT / "scripts" / name) for name in CONTENT_HOOKS],
    }
    dest.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # The content hooks read data/ and includes/ next to the config file.
    for folder in ("data", "includes"):
        (dest.parent / folder).symlink_to(PROJECT / folder, target_is_directory=True)
    return dest


def _env(**extra: str) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env.update(extra)
    return env


WARNINGS: list[str] = []


def _run(cmd: list[str], fatal: bool = True, **env: str) -> None:
    result = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, env=_env(**env))
    if result.returncode != 0:
        message = f"bench: {' '.join(cmd[1:])} failed:\n{result.stdout}{result.stderr}"
        if fatal:
            raise SystemExit(message)
        # The content checks are timed even when they find problems (pages in
        # progress); the report says so instead of hiding it.
        print(message, file=sys.stderr)
        first = (result.stdout.strip().splitlines() or ["?"])
        warning = f"content checks reported problems ({first[-1]}), e.g. {first[0]}"
        if warning not in WARNINGS:
            WARNINGS.append(warning)


STEPS: dict[str, list[float]] = {"strict build (content checks, htmlproofer, purge)": [],
                                  "security headers": []}
# Build caches (gitignored) that a fresh clone does not have: compiled theme
# templates and preview images. The offline zip is reused through OFFLINE_ZIP
# and timed on its own.
CACHES = (".cache/jinja", ".cache/preview-images")


def clear_caches() -> None:
    for folder in CACHES:
        shutil.rmtree(PROJECT / folder, ignore_errors=True)


def build_ours(site: Path, site_url: str, offline_zip: Path) -> float:
    """Everything `make build` does: the strict build (its first hook runs
    the content checks of `make check`; htmlproofer on), then the security
    headers. The offline edition is a second site, timed separately."""
    start = time.perf_counter()
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
         HTMLPROOFER="true", SITE_URL=site_url, OFFLINE_ZIP=str(offline_zip))
    mark = time.perf_counter()
    STEPS["strict build (content checks, htmlproofer, purge)"].append(mark - start)
    _run([sys.executable, "-m", "explainer.postbuild.headers", str(site), "--deploy", str(site.parent / "deploy")])
    STEPS["security headers"].append(time.perf_counter() - mark)
    return time.perf_counter() - start


def build_offline_edition(out: Path) -> float:
    start = time.perf_counter()
    _run([sys.executable, "-m", "explainer.postbuild.offline", "--out", str(out)])
    return time.perf_counter() - start


def build_variant(site: Path, site_url: str, **env: str) -> float:
    """The strict build alone, with environment switches, to see where the
    time goes (one run each)."""
    start = time.perf_counter()
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
         SITE_URL=site_url, **env)
    return time.perf_counter() - start


def build_stock(config: Path, site: Path) -> float:
    start = time.perf_counter()
    _run([sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config), "-d", str(site)])
    return time.perf_counter() - start


# --------------------------------------------------------------------------
# A gzip server
# --------------------------------------------------------------------------
class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text types, the site's 404 page, and the
    cache lifetimes of the deploy configuration (scripts/security_headers.py)
    for both builds."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the standard redirect to the slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(404)
                return None
        body = path.read_bytes()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        if "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        rel = path.relative_to(Path(self.directory)).as_posix() if status == 200 else ""
        self.send_header("Cache-Control", security_headers.CACHE_IMMUTABLE
                         if security_headers.FINGERPRINTED_RE.match(rel) else security_headers.CACHE_SHORT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


class GzipServer:
    def __init__(self, root: Path, port: int):
        handler = functools.partial(GzipHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.origin = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------
# Lighthouse
# --------------------------------------------------------------------------
def lighthouse(url: str, out: Path) -> dict:
    cmd = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
           f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=CHROME),
                            timeout=300)
    if result.returncode != 0 or not out.exists():
        raise SystemExit(f"bench: lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


MEDIAN_SCRIPT = ROOT / "scripts" / "lighthouse_median.mjs"


def lighthouse_median(url: str, out_stem: Path, runs: int) -> tuple[dict, list[int]]:
    """Run Lighthouse `runs` times; return the median run (Lighthouse's own
    computeMedianRun, via scripts/lighthouse_median.mjs) and every run's
    performance score."""
    files = [out_stem.with_name(f"{out_stem.name}-{i}.json") for i in range(runs)]
    reports = [lighthouse(url, f) for f in files]
    scores = [round((r["categories"]["performance"]["score"] or 0) * 100) for r in reports]
    if runs == 1:
        return reports[0], scores
    result = subprocess.run(["node", str(MEDIAN_SCRIPT), *map(str, files)], capture_output=True, text=True,
                            cwd=ROOT)
    if result.returncode != 0 or not result.stdout.strip().isdigit():
        raise SystemExit(f"bench: {MEDIAN_SCRIPT.name} failed on {url}:\n{result.stderr[-2000:]}")
    return reports[int(result.stdout)], scores


def summarise(report: dict) -> dict:
    audits = report["audits"]
    # data: URIs (Material's inline icons) are not transfers.
    requests = [r for r in audits["network-requests"]["details"]["items"]
                if not str(r.get("url", "")).startswith("data:")]
    failing = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{cat}:{ref['id']}")
    return {
        "scores": {cat: round((report["categories"][cat]["score"] or 0) * 100) for cat in CATEGORIES},
        "metrics": {m: {"value": audits[m]["numericValue"], "display": audits[m].get("displayValue", "")}
                    for m in METRICS},
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "failed_requests": [r["url"] for r in requests if (r.get("statusCode") or 0) >= 400
                            or r.get("statusCode") in (None, -1, 0)],
        "request_urls": [r["url"] for r in requests],
        "transfer": [{"url": r["url"], "bytes": int(r.get("transferSize") or 0),
                      "type": r.get("resourceType", "")} for r in requests],
        "failing_audits": failing,
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent"),
    }


def page_paths(site: Path) -> list[str]:
    paths = []
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        paths.append("/" + rel[: -len("index.html")])
    return sorted(paths, key=lambda p: (p != "/", p))


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def render_markdown(data: dict) -> str:
    t = data["targets"]
    lines = [
        "# Benchmark: this site against stock Material",
        "",
        f"Generated by `make bench` (scripts/bench.py) on {data['date']}. "
        f"Lighthouse {data['lighthouse']} (mobile, simulated throttling) with {data['chromium']}; "
        f"{data['machine']}. Both builds are served from loopback with gzip (level 6). "
        f"Each page of each build is audited {data.get('lighthouse_runs', 1)} time(s); the figures are those of "
        "the median run as Lighthouse's own computeMedianRun picks it (closest to the median first contentful "
        "paint and time to interactive), and the performance scores of every run are listed.",
        "",
        "Stock build: a generated config with `theme: {name: material}` only (so Material's default Roboto web "
        "font link), the same nav and Markdown extensions, the default search plugin, and the hooks that write "
        "page content (" + ", ".join(f"scripts/{h}" for h in CONTENT_HOOKS) + ": figures, footnote text, "
        "\"In short\" boxes and the reference pages rendered from data/), so that both builds carry the same "
        "text. No overrides, extra CSS or JavaScript. The bench machine has no internet: the stock build's "
        "Google Fonts requests fail, so its bytes below exclude the web font (the issue that set these targets "
        "measured about 79 KB more per first view with it), which makes the ratio harder for this site to meet, not easier.",
        "",
        "Bytes are Lighthouse's total byte weight: every response of the first view, as transferred (gzip). "
        "Lighthouse records the search worker script (Material's, about 12 KB gzip, fetched by both builds) "
        "with its headers only; both columns are affected alike. This site fetches its search index and the "
        "lunr language files only when a reader starts to search (docs/javascripts/search-on-demand.js), so "
        "they are not part of its first view; the stock build fetches its index on every page load.",
        "",
        "## Summary",
        "",
        f"Targets: {t['score']} in all four Lighthouse categories; first view at most {t['bytes_ratio']} of stock "
        f"bytes; at most {t['requests']} requests; full build at most {t['build_ratio']}x the stock build.",
        "",
        "| Page | KB ours | KB stock | Ratio | Requests ours / stock | Lighthouse ours (P/A/BP/SEO) "
        "| Lighthouse stock (P/A/BP/SEO) | Performance, every run: ours; stock | Targets |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |",
    ]
    for row in data["pages"]:
        o, s = row["ours"], row["stock"]
        so = "/".join(str(o["scores"][c]) for c in CATEGORIES)
        ss = "/".join(str(s["scores"][c]) for c in CATEGORIES)
        runs = (", ".join(map(str, o.get("performance_runs", []))) + "; "
                + ", ".join(map(str, s.get("performance_runs", []))))
        lines.append(f"| `{row['path']}` | {kb(o['bytes'])} | {kb(s['bytes'])} | {row['bytes_ratio']:.2f} | "
                     f"{o['requests']} / {s['requests']} | {so} | {ss} | {runs} | "
                     f"{'met' if row['met'] else 'missed: ' + ', '.join(row['missed'])} |")
    b = data["build"]
    lines += [
        "",
        "| Build | Seconds | Ratio to stock |",
        "| --- | ---: | ---: |",
        f"| This site, `make build`: strict build with content checks, link/anchor checks (htmlproofer) and CSS "
        f"purge, then security headers; median of {b['runs']} | {b['ours_s']:.2f} | **{b['ratio']:.2f}** |",
        f"| The same, first build of a fresh clone (no template or preview-image cache) | {b['ours_cold_s']:.2f} | "
        f"{b['ratio_cold']:.2f} |",
        f"| Stock Material, same docs and content hooks; median of {b['runs']} | {b['stock_s']:.2f} | 1.00 |",
        f"| Offline edition (`make offline`, a second site, zipped; not in the ratio) | {b['offline_s']:.2f} | – |",
        "",
        f"Target: the median build at most {t['build_ratio']}x the stock build. "
        "Steps of this site's build (median): "
        + "; ".join(f"{name} {secs:.2f} s" for name, secs in b.get("steps", {}).items()) + ". "
        + "Without htmlproofer: "
        + "; ".join(f"{name} {secs:.2f} s" for name, secs in b.get("variants", {}).items()) + ".",
        "",
        f"**Overall: {'all targets met' if data['all_met'] else 'targets missed: ' + '; '.join(data['missed'])}.**",
        "",
        *[f"Warning: {w}" for w in data["warnings"]],
        *([f"Not compared (no such page in the stock build): {', '.join(f'`{p}`' for p in data['only_ours'])}.", ""]
          if data.get("only_ours") else []),
        *([""] if data["warnings"] else []),
        "## Main metrics (mobile)",
        "",
        "| Page | Build | " + " | ".join(METRIC_LABELS[m] for m in METRICS) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in METRICS) + " |",
    ]
    for row in data["pages"]:
        for name in ("ours", "stock"):
            m = row[name]["metrics"]
            lines.append(f"| `{row['path']}` | {name} | " + " | ".join(m[k]["display"] for k in METRICS) + " |")
    if data["pages"]:
        first = data["pages"][0]
        lines += ["", f"## What a first view of `{first['path']}` transfers", "",
                  "| Resource | Ours (KB) | Stock (KB) |", "| --- | ---: | ---: |"]
        sizes: dict[str, list[int]] = {}
        for index, name in enumerate(("ours", "stock")):
            for item in first[name]["transfer"]:
                key = item["url"].split("/", 3)[-1] if item["url"].startswith("http://127.0.0.1") else item["url"]
                sizes.setdefault(key or "(page)", [0, 0])[index] += item["bytes"]
        for key, (ours_b, stock_b) in sorted(sizes.items(), key=lambda kv: -max(kv[1])):
            lines.append(f"| `{key[:90]}` | {kb(ours_b) if ours_b else '–'} | {kb(stock_b) if stock_b else '–'} |")
    lines += ["", "## Requests and audits below 1", ""]
    for row in data["pages"]:
        for name in ("ours", "stock"):
            r = row[name]
            lines.append(f"- `{row['path']}` {name}: {r['requests']} requests"
                         + (f", failed: {', '.join(r['failed_requests'])}" if r["failed_requests"] else "")
                         + (f"; audits below 1: {', '.join(r['failing_audits'])}" if r["failing_audits"] else
                            "; no scored audit below 1"))
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark this site against stock Material.")
    parser.add_argument("--pages", help="comma-separated URL paths (default: every page)")
    parser.add_argument("--build-runs", type=int, default=3)
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs per page and build; the median run counts (default 3)")
    parser.add_argument("--out", type=Path, default=REPORTS)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--project", type=Path, default=ROOT, help="project to measure (default: this one)")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite bench.md from an existing bench.json (no builds, no Lighthouse)")
    args = parser.parse_args(argv)
    if args.render_only:
        data = json.loads((args.out / "bench.json").read_text(encoding="utf-8"))
        (args.out / "bench.md").write_text(render_markdown(data), encoding="utf-8")
        print(f"bench: wrote {args.out / 'bench.md'}")
        return 0
    global PROJECT
    PROJECT = args.project.resolve()

    if not LIGHTHOUSE.exists():
        raise SystemExit("bench: Lighthouse is not installed; run `npm ci` (make bench does)")
    if not Path(CHROME).exists():
        raise SystemExit(f"bench: Chromium not found at {CHROME} (apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        ours_port, stock_port = free_port(), free_port()
        ours_site, stock_site = work / "ours", work / "stock"
        config = stock_config(work / "stock-mkdocs.yml", f"http://127.0.0.1:{stock_port}/")
        offline_zip = work / "offline.zip"
        offline_s = build_offline_edition(offline_zip)
        # One cold build first, as on a fresh clone (no template or preview
        # cache), then the timed runs.
        clear_caches()
        cold_s = build_ours(ours_site, f"http://127.0.0.1:{ours_port}/", offline_zip)
        for times in STEPS.values():
            times.clear()
        build_stock(config, stock_site)  # the stock build's own first run
        ours_times, stock_times = [], []
        for run in range(args.build_runs):
            # Alternate, so that CPU warm-up favours neither.
            ours_times.append(build_ours(ours_site, f"http://127.0.0.1:{ours_port}/", offline_zip))
            stock_times.append(build_stock(config, stock_site))
            print(f"bench: build run {run + 1}: ours {ours_times[-1]:.2f} s, stock {stock_times[-1]:.2f} s",
                  flush=True)
        build = {"runs": args.build_runs, "ours_s": statistics.median(ours_times),
                 "stock_s": statistics.median(stock_times), "ours_all": ours_times, "stock_all": stock_times,
                 "ours_cold_s": cold_s, "offline_s": offline_s}
        build["ratio"] = build["ours_s"] / build["stock_s"]
        build["ratio_cold"] = cold_s / build["stock_s"]
        build["steps"] = {name: statistics.median(times) for name, times in STEPS.items() if times}
        # Where the strict build's time goes: switch checks off.
        variants = {"strict build, htmlproofer off": {"HTMLPROOFER": "false", "OFFLINE_ZIP": str(offline_zip)}}
        build["variants"] = {name: build_variant(work / "variant", f"http://127.0.0.1:{ours_port}/", **env)
                             for name, env in variants.items()}

        stock_paths = set(page_paths(stock_site))
        paths = args.pages.split(",") if args.pages else [p for p in page_paths(ours_site) if p in stock_paths]
        only_ours = [p for p in page_paths(ours_site) if p not in stock_paths]
        servers = {"ours": GzipServer(ours_site, ours_port), "stock": GzipServer(stock_site, stock_port)}
        rows = []
        try:
            for path in paths:
                row: dict = {"path": path}
                try:
                    for name, server in servers.items():
                        report, scores = lighthouse_median(server.origin + path, work / f"{name}-{len(rows)}",
                                                           args.lighthouse_runs)
                        row[name] = summarise(report)
                        row[name]["performance_runs"] = scores
                except SystemExit as exc:  # one page's failure does not lose the others
                    print(exc, file=sys.stderr)
                    WARNINGS.append(f"Lighthouse failed on {path}; page left out: {str(exc).splitlines()[-1][:200]}")
                    continue
                o, s = row["ours"], row["stock"]
                row["bytes_ratio"] = o["bytes"] / s["bytes"] if s["bytes"] else 0
                missed = [f"{c} {o['scores'][c]}" for c in CATEGORIES if o["scores"][c] < TARGETS["score"]]
                if row["bytes_ratio"] > TARGETS["bytes_ratio"]:
                    missed.append(f"bytes {row['bytes_ratio']:.2f}x")
                if o["requests"] > TARGETS["requests"]:
                    missed.append(f"{o['requests']} requests")
                row["missed"], row["met"] = missed, not missed
                rows.append(row)
                print(f"bench: {path}: ours {kb(o['bytes'])} KB / {o['requests']} req / "
                      f"{'/'.join(str(o['scores'][c]) for c in CATEGORIES)}; stock {kb(s['bytes'])} KB / "
                      f"{s['requests']} req / {'/'.join(str(s['scores'][c]) for c in CATEGORIES)}", flush=True)
        finally:
            for server in servers.values():
                server.close()

        missed = [f"{r['path']}: {', '.join(r['missed'])}" for r in rows if r["missed"]]
        if build["ratio"] > TARGETS["build_ratio"]:
            missed.append(f"build {build['ratio']:.2f}x")
        chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
        data = {
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "lighthouse_runs": args.lighthouse_runs,
            "lighthouse": rows[0]["ours"]["lighthouse"] if rows else "",
            "chromium": chromium.split(" built on")[0] or CHROME,
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
            "targets": TARGETS,
            "build": build,
            "pages": rows,
            "missed": missed,
            "all_met": not missed,
            "warnings": WARNINGS,
            "only_ours": only_ours,
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "bench.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        markdown = render_markdown(data)
        (args.out / "bench.md").write_text(markdown, encoding="utf-8")
        summary = markdown.split("## Summary", 1)[1].split("## Main metrics", 1)[0]
        print(summary.strip())
        print(f"bench: wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}")
        return 1 if (args.strict and missed) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
