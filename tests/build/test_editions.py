"""Editions: dated, frozen copies of the whole site, made with mike.

Two editions are built into a temporary git repository (the copy of the
project), with a change to a page between them, exactly as a maintainer
publishes one (CONTRIBUTING.md, "Editions"). The older edition must be
byte-for-byte unchanged by the newer one; served over HTTP, its links and
anchors resolve inside it, its search finds its own text in Chromium, its
pages say which edition they are and link to the living page, and the living
site's search index holds no edition."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, edit, offline_zip

from harness.servers import Server, free_port

OLD, NEW = "2026-12-01", "2026-12-08"
OLD_TEXT = "If you find an error, report it"
NEW_TEXT = "If you find a mistake, report it"
GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV})
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def add_edition(repo: Path, date: str) -> None:
    """The maintainer's first step: list the edition in data/changes.yml and commit."""
    log = repo / "data" / "changes.yml"
    text = log.read_text(encoding="utf-8")
    if "\neditions:\n" not in text:
        text += "\neditions:\n"
    log.write_text(text + f'  - date: "{date}"\n', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Edition of {date}")


def deploy(repo: Path, date: str, base: str) -> None:
    """The maintainer's second step: mike builds the edition into gh-pages."""
    mike = Path(sys.executable).with_name("mike")
    assert mike.is_file(), "mike is not installed (pyproject.toml, extra 'site')"
    env = {**os.environ, **GIT_ENV, "SITE_URL": f"{base}editions/{date}/", "OFFLINE_ZIP": offline_zip(),
           "HTMLPROOFER": "true", "PATH": f"{mike.parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "SOURCE_DATE_EPOCH": git(repo, "log", "-1", "--format=%ct").strip()}
    result = subprocess.run([str(mike), "deploy", "--deploy-prefix", "editions", "--branch", "gh-pages", date],
                            cwd=repo, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"mike deploy {date}:\n{result.stdout}{result.stderr}"


def tree(repo: Path, prefix: str) -> dict[str, str]:
    """path -> blob hash of every file under ``prefix`` in gh-pages (same hash, same bytes)."""
    out = git(repo, "ls-tree", "-r", "gh-pages", prefix)
    return {line.split("\t")[1]: line.split()[2] for line in out.splitlines()}


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    repo = copy_project(tmp_path_factory.mktemp("editions") / "repo")
    (repo / ".gitignore").write_text("site/\nbuild/\n__pycache__/\n.cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The site")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    add_edition(repo, OLD)
    deploy(repo, OLD, base)
    before = tree(repo, f"editions/{OLD}")
    edit(repo / "docs" / "about.md", OLD_TEXT, NEW_TEXT)
    add_edition(repo, NEW)
    deploy(repo, NEW, base)
    served = tmp_path_factory.mktemp("served")
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(served, filter="data")
    server = Server(served, port)
    yield {"repo": repo, "before": before, "served": served, "server": server, "base": base}
    server.close()


def test_older_edition_is_byte_for_byte_unchanged(editions):
    after = tree(editions["repo"], f"editions/{OLD}")
    assert after == editions["before"], "the newer edition changed files of the older one"
    assert len(after) > 50
    old_about = (editions["served"] / "editions" / OLD / "about" / "index.html").read_text(encoding="utf-8")
    new_about = (editions["served"] / "editions" / NEW / "about" / "index.html").read_text(encoding="utf-8")
    assert OLD_TEXT in old_about and NEW_TEXT not in old_about
    assert NEW_TEXT in new_about
    versions = json.loads((editions["served"] / "editions" / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == [NEW, OLD]


def test_edition_pages_say_which_edition_and_link_to_the_living_page(editions):
    html = (editions["served"] / "editions" / OLD / "focus-group" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    banner = soup.select_one(".edition-banner")
    assert banner and OLD in banner.get_text()
    living = editions["base"] + "focus-group/"
    assert banner.select_one("a.edition-living")["href"] == living
    # One step to what changed on this page after the edition: its list on the
    # living site's editions page, which every later build carries (here the
    # newer edition's copy of that page shows the id exists).
    since = f"since-{OLD}-focus-group"
    assert banner.select_one("a.edition-since")["href"] == f"{editions['base']}editions/#{since}"
    newer = BeautifulSoup((editions["served"] / "editions" / NEW / "editions" / "index.html")
                          .read_text(encoding="utf-8"), "html.parser")
    assert newer.find(id=since) is not None and newer.find(id=f"ed-{OLD}") is not None
    assert soup.select_one(".cite-links a.cite-edition")["href"] == f"{editions['base']}editions/{OLD}/focus-group/"
    assert soup.select_one(".cite-links a.cite-living")["href"] == living
    assert soup.select_one('link[rel="canonical"]')["href"] == f"{editions['base']}editions/{OLD}/focus-group/"
    # A key fact copied from an edition carries the edition's link.
    button = soup.select_one("#kf-223-fz button.copy-fact")
    assert button["data-clipboard-text"].endswith(f"{editions['base']}editions/{OLD}/focus-group/#kf-223-fz")


def test_links_and_anchors_of_the_older_edition_resolve(editions):
    server, root = editions["server"], editions["served"] / "editions" / OLD
    prefix = f"/editions/{OLD}/"
    ids: dict[str, set[str]] = {}
    checked, broken = 0, []
    # The whole-site print page is left out: the print-site plugin writes its
    # links to the home page as href="#." on the living site too (reported to
    # the lead; not an edition problem).
    pages = sorted(p for p in root.rglob("*.html") if "print_page" not in p.parts)
    for page in pages:
        rel = page.relative_to(editions["served"]).as_posix()
        url = server.url("/" + rel.removesuffix("index.html"))
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            href = a["href"]
            if href.startswith(("mailto:", "javascript:")):
                continue
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc != urlsplit(server.origin).netloc or not parts.path.startswith(prefix):
                continue  # the living site and other hosts are not part of the edition
            checked += 1
            try:
                body = urlopen(target.split("#")[0], timeout=10).read()
            except OSError as exc:
                broken.append(f"{rel}: {href} -> {exc}")
                continue
            if parts.fragment and parts.path.endswith("/"):
                key = parts.path
                if key not in ids:
                    ids[key] = {el["id"] for el in BeautifulSoup(body, "html.parser").find_all(id=True)}
                if parts.fragment not in ids[key]:
                    broken.append(f"{rel}: {href}: no id {parts.fragment!r}")
    assert checked > 500
    assert broken == [], "\n".join(broken[:20])


def test_older_edition_search_finds_its_own_text(editions, browser):
    index = json.loads((editions["served"] / "editions" / OLD / "search" / "search_index.json")
                       .read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "find an error" in texts and "find a mistake" not in texts
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(editions["server"].url(f"/editions/{OLD}/"), wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("issue tracker", delay=5)
    box.press("End")
    page.wait_for_function(
        "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15_000)
    hrefs = page.evaluate("() => [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)")
    assert hrefs and all(urlsplit(h).path.startswith(f"/editions/{OLD}/") for h in hrefs), hrefs
    assert any(urlsplit(h).path == f"/editions/{OLD}/about/" for h in hrefs), hrefs
    assert errors == []
    page.close()


def test_living_site_search_holds_no_edition(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    # The editions page (/editions/) is the living site's own; no dated edition is in it.
    assert locations and not [loc for loc in locations if re.match(r"editions/\d", loc)]
    assert not list((built_site / "editions").glob("2*"))
