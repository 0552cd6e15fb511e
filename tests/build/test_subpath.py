"""Hosting under a sub-path (a GitHub project page, https://OWNER.github.io/REPO/):
a build for /explainer/ keeps every link, load, canonical URL and sitemap
entry under the prefix, and search and navigation work there in Chromium.
The check is shown failing on a build made for the server root."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from conftest import ROOT, background, build, built, is_load, links_of, output, skip_scheme
from conftest import url_paths as page_paths

from harness.servers import QuietHandler, Server, free_port

PREFIX = "/explainer/"


class SubpathHandler(QuietHandler):
    """Serves the site only under PREFIX, like https://OWNER.github.io/REPO/."""

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(PREFIX):
            return str(Path(self.directory) / "\0outside-prefix")  # never exists: 404
        return super().translate_path("/" + path[len(PREFIX):])


class SubpathServer(Server):
    handler_class = SubpathHandler

    def __init__(self, root: Path, port: int):
        super().__init__(root, port)
        self.base = self.origin + PREFIX


def _subpath_job(folder: Path) -> tuple[Path, int]:
    """The site built for http://127.0.0.1:PORT/explainer/; the port travels
    with it (the worker that serves it may not be the one that built it)."""
    port = free_port()
    site = folder / "site"
    result = build(ROOT, site, SITE_URL=f"http://127.0.0.1:{port}{PREFIX}")
    assert result.returncode == 0, output(result)[-3000:]
    return site, port


background("subpath-site", _subpath_job)


@pytest.fixture(scope="module")
def subpath_port() -> int:
    return built("subpath-site")[1]


@pytest.fixture(scope="module")
def subpath_site() -> Path:
    return built("subpath-site")[0]


@pytest.fixture(scope="module")
def subpath_server(subpath_site, subpath_port):
    srv = SubpathServer(subpath_site, subpath_port)
    yield srv
    srv.close()


def status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as exc:
        return exc.code


def subpath_problems(site: Path, srv: SubpathServer) -> list[str]:
    """Fetch every page under the prefix; every same-origin link and load must
    stay under the prefix and answer 200; canonical URLs and the sitemap must
    name the prefixed addresses."""
    problems, checked = [], {}
    for path in page_paths(site):
        url = srv.base + path.lstrip("/")
        code = status(url)
        if code != 200:
            problems.append(f"{url}: HTTP {code}")
            continue
        with urlopen(url, timeout=10) as response:
            text = response.read().decode("utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', text)
        if path != "/404.html":
            if not canonical or canonical.group(1) != url:
                problems.append(f"{url}: canonical is {canonical.group(1) if canonical else None}")
        for tag, link, attrs in links_of(text):
            if skip_scheme(link):
                continue
            target = urljoin(url, link).split("#", 1)[0]
            if urlsplit(target).netloc != urlsplit(srv.origin).netloc:
                if is_load(tag, attrs):
                    problems.append(f"{url}: <{tag}> loads {target} from another origin")
                continue
            if not urlsplit(target).path.startswith(PREFIX):
                problems.append(f"{url}: <{tag}> {link} leaves {PREFIX}")
                continue
            if target not in checked:
                checked[target] = status(target)
            if checked[target] != 200:
                problems.append(f"{url}: <{tag}> {link} answers HTTP {checked[target]}")
    with urlopen(srv.base + "sitemap.xml", timeout=10) as response:
        locs = re.findall(r"<loc>([^<]+)</loc>", response.read().decode("utf-8"))
    problems += [f"sitemap.xml: {loc} is not under {srv.base}" for loc in locs if not loc.startswith(srv.base)]
    return problems


def test_site_works_under_a_sub_path(subpath_site, subpath_server):
    assert subpath_problems(subpath_site, subpath_server) == []


def test_sub_path_check_catches_a_root_build(built_site, tmp_path):
    """The test build made for the server root, served under /explainer/,
    fails: canonical URLs, the sitemap and the 404 page's assets are wrong."""
    srv = SubpathServer(built_site, free_port())
    try:
        found = subpath_problems(built_site, srv)
    finally:
        srv.close()
    assert any("canonical" in p for p in found), found
    assert any(p.startswith("sitemap.xml") for p in found), found
    assert any(p.startswith(srv.base + "404.html") and "leaves" in p for p in found), found


def test_sub_path_search_and_navigation_in_chromium(subpath_server, context):
    page = context.new_page()
    errors, bad = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(subpath_server.base, wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("ruble", delay=20)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=15_000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all(urlsplit(h).path.startswith(PREFIX) for h in hrefs), hrefs
    page.keyboard.press("Escape")
    links = page.locator(".md-sidebar--primary .md-nav__link[href]")
    other = links.evaluate_all(
        "els => els.findIndex(e => e.offsetParent !== null && !e.href.includes('#')"
        " && new URL(e.href).pathname !== location.pathname)")
    assert other >= 0, "no link to another page in the navigation"
    links.nth(other).click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path.startswith(PREFIX) and urlsplit(page.url).path != PREFIX, page.url
    assert not bad and not errors, bad + errors


